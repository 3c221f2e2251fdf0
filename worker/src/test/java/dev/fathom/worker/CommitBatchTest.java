package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.worker.WorkerMetrics.Outcome;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Outcomes are counted once per commit that carries them, however often a failed commit made the poll loop redo the
 * same decision: the loop clears the batch and forgets every partition on a failed commit, then decides again.
 */
class CommitBatchTest {

    private static final ProducerRecord<String, byte[]> DEAD_LETTER = new ProducerRecord<>("dlq", "ns", new byte[1]);

    @Test
    void shouldCountADeadLetteredSegmentOnceWhenItsFirstCommitFailedAndItWasRefusedAgain() {
        CommitBatch batch = new CommitBatch();
        batch.addRefusal(0, DEAD_LETTER);
        // the commit fails: SegmentEventLoop clears the batch and rewinds (forgets) every partition
        batch.clear();
        batch.removePartition(0);
        batch.addRefusal(0, DEAD_LETTER); // redone after the rewind

        assertEquals(1, batch.deadLetterCount());
        assertEquals(List.of(Outcome.DEAD_LETTERED), batch.committedOutcomes(Map.of(0, 11L)));
        batch.clear();
        assertEquals(List.of(), batch.committedOutcomes(Map.of(0, 12L)), "nothing left to count");
    }

    @Test
    void shouldCountAReplayOnlyOnceACommittedOffsetPassesItsLastRecord() {
        CommitBatch batch = new CommitBatch();
        batch.addReplay(2, List.of(7L, 8L));

        assertTrue(batch.isEmpty(), "a replay adds no record to the transaction");
        assertEquals(List.of(), batch.committedOutcomes(Map.of(2, 6L)), "an earlier record is still pending");
        batch.clear();
        assertEquals(List.of(), batch.committedOutcomes(Map.of(1, 100L)), "another partition's offset");
        assertEquals(List.of(Outcome.REPLAYED), batch.committedOutcomes(Map.of(2, 9L)));
        assertEquals(List.of(), batch.committedOutcomes(Map.of(2, 10L)), "counted once");
    }

    @Test
    void shouldNotCountAReplayWhoseOffsetsWereRewoundBeforeTheyWereCommitted() {
        CommitBatch batch = new CommitBatch();
        batch.addReplay(1, List.of(4L));
        batch.addReplay(3, List.of(5L));
        batch.removePartition(1); // the failed commit rewound partition 1; its replay is decided again later
        batch.addReplay(1, List.of(4L));

        assertEquals(List.of(Outcome.REPLAYED, Outcome.REPLAYED), batch.committedOutcomes(Map.of(1, 5L, 3, 6L)));
    }
}
