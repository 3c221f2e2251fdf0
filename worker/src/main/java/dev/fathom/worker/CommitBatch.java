package dev.fathom.worker;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The records waiting for the next transaction (dead letters, meta and catalog records) and the uploaded segments
 * that become durable when it commits. Entries remember their partition so a revoked partition's entries can be
 * dropped before they are committed. Not thread-safe; owned by the poll thread.
 */
final class CommitBatch {

    private final List<Entry> entries = new ArrayList<>();

    /** Adds a record of {@code partition} that needs no follow-up after the commit (a dead letter). */
    void add(int partition, ProducerRecord<String, byte[]> record) {
        entries.add(new Entry(partition, List.of(record), null));
    }

    /** Adds the records that make {@code result}'s segment durable. */
    void addDurable(JobResult result, List<ProducerRecord<String, byte[]>> records) {
        entries.add(new Entry(result.partition(), List.copyOf(records), result));
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    boolean hasDurable() {
        return entries.stream().anyMatch(e -> e.durable() != null);
    }

    List<ProducerRecord<String, byte[]>> records() {
        return entries.stream().flatMap(e -> e.records().stream()).toList();
    }

    /** Returns how many dead letters the batch holds (for metrics). */
    int deadLetterCount() {
        return (int) entries.stream().filter(e -> e.durable() == null).count();
    }

    /** Returns the job results that become durable with this batch, in the order they were added. */
    List<JobResult> durable() {
        return entries.stream().map(Entry::durable).filter(r -> r != null).toList();
    }

    /** Drops the entries of {@code partition} (revoked, lost or rewound): they must not be committed by us. */
    void removePartition(int partition) {
        entries.removeIf(e -> e.partition() == partition);
    }

    void clear() {
        entries.clear();
    }

    private record Entry(int partition, List<ProducerRecord<String, byte[]>> records, JobResult durable) {
    }
}
