package dev.fathom.worker;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The records waiting for the next transaction (dead letters, meta and catalog records) and the uploaded segments
 * that become durable when it commits. Entries remember their partition so a revoked partition's entries can be
 * dropped before they are committed. Also the outcomes to count once they are committed ({@link #committedOutcomes}):
 * a failed commit rewinds and redoes the same decisions, so counting them when decided would count them twice.
 * Not thread-safe; owned by the poll thread.
 */
final class CommitBatch {

    private final List<Entry> entries = new ArrayList<>();
    private final List<Replay> replays = new ArrayList<>();

    /** Adds a record of {@code partition} that needs no follow-up after the commit (a dead letter). */
    void add(int partition, ProducerRecord<String, byte[]> record) {
        entries.add(new Entry(partition, List.of(record), null, false));
    }

    /** Adds the dead letter of a refused segment of {@code partition}: a dead-lettered outcome once committed. */
    void addRefusal(int partition, ProducerRecord<String, byte[]> deadLetter) {
        entries.add(new Entry(partition, List.of(deadLetter), null, true));
    }

    /**
     * Adds a segment acknowledged without work (a replay) carried by {@code offsets} of {@code partition}: a replayed
     * outcome once a committed offset of the partition passes the last of them. Replays survive {@link #clear} until
     * then, since no record of theirs is in a transaction; they are dropped with their partition.
     */
    void addReplay(int partition, List<Long> offsets) {
        replays.add(new Replay(partition, offsets.stream().mapToLong(Long::longValue).max().orElseThrow()));
    }

    /** Adds the records that make {@code result}'s segment durable. */
    void addDurable(JobResult result, List<ProducerRecord<String, byte[]>> records) {
        entries.add(new Entry(result.partition(), List.copyOf(records), result, false));
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

    /**
     * Returns the outcomes committed by the transaction that just committed this batch with {@code committedOffsets}
     * (partition → offset committed, the next to read): one dead-lettered per refused segment's dead letter, one
     * replayed per replay whose last offset the partition's committed offset passed (those are removed). Call once per
     * successful commit, before {@link #clear}.
     */
    List<WorkerMetrics.Outcome> committedOutcomes(Map<Integer, Long> committedOffsets) {
        List<WorkerMetrics.Outcome> outcomes = new ArrayList<>();
        entries.stream().filter(Entry::refusal).forEach(e -> outcomes.add(WorkerMetrics.Outcome.DEAD_LETTERED));
        for (Iterator<Replay> it = replays.iterator(); it.hasNext(); ) {
            Replay replay = it.next();
            Long committed = committedOffsets.get(replay.partition());
            if (committed != null && committed > replay.lastOffset()) {
                outcomes.add(WorkerMetrics.Outcome.REPLAYED);
                it.remove();
            }
        }
        return outcomes;
    }

    /** Drops the entries of {@code partition} (revoked, lost or rewound): they must not be committed by us. */
    void removePartition(int partition) {
        entries.removeIf(e -> e.partition() == partition);
        replays.removeIf(r -> r.partition() == partition);
    }

    /** Drops the records of the transaction just committed or failed; replays wait for their offsets. */
    void clear() {
        entries.clear();
    }

    private record Entry(int partition, List<ProducerRecord<String, byte[]>> records, JobResult durable,
                         boolean refusal) {
    }

    private record Replay(int partition, long lastOffset) {
    }
}
