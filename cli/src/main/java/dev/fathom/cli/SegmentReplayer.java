package dev.fathom.cli;

import dev.fathom.schemas.DeadLetter;
import dev.fathom.schemas.FathomSerdes;
import dev.fathom.schemas.SegmentChunk;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Sends a refused segment through the workers again: re-reads its source records (topic, partition and offsets
 * from the dead letter), keeps the chunks of that segment, checks that every chunk is there, and republishes those
 * records unchanged (same key, same partition) to the topic they came from, in one Kafka transaction per segment so
 * a worker never sees half of one. The records themselves are not re-encoded. Not thread-safe; owns a transactional
 * producer (created on the first publish); closed by its creator.
 */
final class SegmentReplayer implements AutoCloseable {

    private final PartitionRangeReader reader;
    private final Map<String, Object> settings;
    private final Deserializer<SegmentChunk> chunks = FathomSerdes.segmentChunk().deserializer();
    private Producer<byte[], byte[]> producer;

    SegmentReplayer(PartitionRangeReader reader, Map<String, Object> settings) {
        this.reader = reader;
        this.settings = settings;
    }

    /**
     * Finds the chunks of {@code entry}'s segment in its source records.
     *
     * @throws ReplayException when the records were removed by retention, or some chunks are missing
     */
    List<ConsumerRecord<byte[], byte[]>> chunksOf(DeadLetterEntry entry) {
        DeadLetter letter = entry.letter();
        TopicPartition tp = new TopicPartition(letter.getSourceTopic(), letter.getSourcePartition());
        long start = reader.startOffset(tp);
        if (start > letter.getFirstOffset()) {
            throw new ReplayException("Cannot replay segment " + letter.getSegmentId() + " of namespace "
                    + letter.getNamespace() + ": its records at " + entry.source() + " were removed by retention"
                    + " (the partition now starts at offset " + start + "); publish the segment again from the node"
                    + " that sealed it");
        }
        long end = reader.endOffset(tp);
        if (letter.getLastOffset() >= end) {
            throw new ReplayException("Cannot replay segment " + letter.getSegmentId() + ": " + entry.source()
                    + " lies beyond the partition's last stable offset " + end);
        }
        Map<Integer, ConsumerRecord<byte[], byte[]>> byIndex = new TreeMap<>();
        int count = -1;
        for (ConsumerRecord<byte[], byte[]> record : reader.read(tp, letter.getFirstOffset(),
                letter.getLastOffset() + 1)) {
            SegmentChunk chunk = decode(record);
            if (chunk != null && letter.getNamespace().equals(chunk.getNamespace())
                    && letter.getSegmentId().equals(chunk.getSegmentId())) {
                byIndex.putIfAbsent(chunk.getChunkIndex(), record);
                count = chunk.getChunkCount();
            }
        }
        if (count < 1 || byIndex.size() != count || !byIndex.containsKey(0) || !byIndex.containsKey(count - 1)) {
            throw new ReplayException("Cannot replay segment " + letter.getSegmentId() + " of namespace "
                    + letter.getNamespace() + ": " + entry.source() + " holds chunks " + byIndex.keySet() + " of "
                    + Math.max(count, 0) + "; the segment is incomplete there");
        }
        return List.copyOf(byIndex.values());
    }

    /** Republishes {@code records} (one segment's chunks, in chunk order) in one transaction. */
    void publish(List<ConsumerRecord<byte[], byte[]>> records) {
        Producer<byte[], byte[]> p = producer();
        p.beginTransaction();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            p.send(new ProducerRecord<>(record.topic(), record.partition(), record.key(), record.value()));
        }
        p.commitTransaction();
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
    }

    private SegmentChunk decode(ConsumerRecord<byte[], byte[]> record) {
        try {
            return chunks.deserialize(record.topic(), record.value());
        } catch (SerializationException notAChunk) {
            return null; // another namespace's garbage may share the offset range
        }
    }

    private Producer<byte[], byte[]> producer() {
        if (producer == null) {
            Map<String, Object> producerSettings = new HashMap<>(settings);
            producerSettings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "fathom-dlq-replay-" + UUID.randomUUID());
            producerSettings.put(ProducerConfig.ACKS_CONFIG, "all");
            producerSettings.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
            producerSettings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
            producer = new KafkaProducer<>(producerSettings, new ByteArraySerializer(), new ByteArraySerializer());
            producer.initTransactions();
        }
        return producer;
    }

    /** A segment that cannot be replayed, with a sentence naming it and where its records were. */
    static final class ReplayException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        ReplayException(String message) {
            super(message);
        }
    }
}
