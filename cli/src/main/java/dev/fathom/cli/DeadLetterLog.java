package dev.fathom.cli;

import dev.fathom.schemas.DeadLetter;
import dev.fathom.schemas.FathomSerdes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Every committed dead letter of the dead-letter topic, oldest first (by refusal time, then topic position).
 * Records that do not decode as a DeadLetter are reported to {@code problems} with their position and skipped.
 * Stateless; thread-safe.
 */
final class DeadLetterLog {

    private DeadLetterLog() {
    }

    /** Reads every committed letter of {@code topic}. */
    static List<DeadLetterEntry> read(PartitionRangeReader reader, String topic, Consumer<String> problems) {
        Deserializer<DeadLetter> letters = FathomSerdes.deadLetter().deserializer();
        List<DeadLetterEntry> entries = new ArrayList<>();
        List<TopicPartition> partitions = reader.partitions(topic);
        for (ConsumerRecord<byte[], byte[]> record : reader.read(reader.startOffsets(partitions),
                reader.endOffsets(partitions))) {
            try {
                entries.add(new DeadLetterEntry(record.partition(), record.offset(), letters.deserialize(topic,
                        record.value())));
            } catch (SerializationException e) {
                problems.accept("skipped the record at " + topic + "-" + record.partition() + " offset "
                        + record.offset() + ": it is not a DeadLetter (" + e.getMessage() + ")");
            }
        }
        entries.sort(Comparator.comparingLong((DeadLetterEntry e) -> e.letter().getFailedAtMs())
                .thenComparingInt(DeadLetterEntry::partition).thenComparingLong(DeadLetterEntry::offset));
        return entries;
    }
}
