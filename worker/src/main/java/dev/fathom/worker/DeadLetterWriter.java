package dev.fathom.worker;

import dev.fathom.schemas.DeadLetter;
import dev.fathom.schemas.DeadLetterReason;
import dev.fathom.schemas.FathomSerdes;
import java.time.Clock;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Builds the dead-letter records of refused segments and undecodable records, keyed by the namespace as received;
 * they are sent in the same transaction as the offsets that pass them, so a refusal is recorded exactly once.
 * Thread-safe (the serializer holds no state between calls); used by the poll thread.
 */
final class DeadLetterWriter {

    private final String topic;
    private final String sourceTopic;
    private final String workerId;
    private final Clock clock;
    private final Serializer<DeadLetter> serializer = FathomSerdes.deadLetter().serializer();

    DeadLetterWriter(String topic, String sourceTopic, String workerId, Clock clock) {
        this.topic = topic;
        this.sourceTopic = sourceTopic;
        this.workerId = workerId;
        this.clock = clock;
    }

    /** Returns the dead letter of a refused segment; {@code durable} is the namespace's durable frame number. */
    ProducerRecord<String, byte[]> forSegment(SegmentSource source, Refusal refusal, long durable) {
        DeadLetter letter = base(refusal, source.partition(), source.firstOffset(), source.lastOffset())
                .setNamespace(source.namespace())
                .setProfile(source.profile())
                .setSegmentId(source.segmentId())
                .setStartFrameNo(source.startFrameNo())
                .setEndFrameNo(source.endFrameNo())
                .setDurableFrameNo(durable)
                .build();
        return record(source.namespace(), letter);
    }

    /** Returns the dead letter of a record that is not a decodable SegmentChunk; {@code key} may be null. */
    ProducerRecord<String, byte[]> forUndecodable(int partition, long offset, String key, String problem) {
        String namespace = key == null ? "" : key;
        String reason = "record at partition " + partition + " offset " + offset + " of " + sourceTopic
                + " (key " + (key == null ? "null" : "'" + key + "'") + ") is not a decodable SegmentChunk: "
                + problem;
        DeadLetter letter = base(new Refusal(DeadLetterReason.UNDECODABLE, reason), partition, offset, offset)
                .setNamespace(namespace)
                .build();
        return record(namespace, letter);
    }

    private DeadLetter.Builder base(Refusal refusal, int partition, long firstOffset, long lastOffset) {
        return DeadLetter.newBuilder()
                .setReasonCode(refusal.code())
                .setReason(refusal.reason())
                .setSourceTopic(sourceTopic)
                .setSourcePartition(partition)
                .setFirstOffset(firstOffset)
                .setLastOffset(lastOffset)
                .setWorkerId(workerId)
                .setFailedAtMs(clock.millis());
    }

    private ProducerRecord<String, byte[]> record(String key, DeadLetter letter) {
        return new ProducerRecord<>(topic, key, serializer.serialize(topic, letter));
    }
}
