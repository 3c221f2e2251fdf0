package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.DeadLetterReason;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NamespaceSchedulerTest {

    private final NamespaceScheduler scheduler = new NamespaceScheduler(2, "test-job-");

    @AfterEach
    void close() {
        scheduler.close();
    }

    @Test
    void shouldHandOutOneSegmentPerNamespaceAtATimeInArrivalOrder() {
        AssembledSegment a1 = segment(0, "a", 1, 100);
        AssembledSegment a2 = segment(0, "a", 2, 100);
        AssembledSegment b1 = segment(0, "b", 3, 50);
        List.of(a1, a2, b1).forEach(scheduler::enqueue);

        assertSame(a1, scheduler.next().orElseThrow());
        assertSame(b1, scheduler.next().orElseThrow());
        assertTrue(scheduler.next().isEmpty(), "a2 waits until a1 is finished");

        scheduler.finish(a1);
        assertSame(a2, scheduler.next().orElseThrow());
    }

    @Test
    void shouldTreatTheSameNamespaceInAnotherPartitionAsAnotherLane() {
        AssembledSegment p0 = segment(0, "a", 1, 10);
        AssembledSegment p1 = segment(1, "a", 1, 10);
        scheduler.enqueue(p0);
        scheduler.enqueue(p1);

        assertSame(p0, scheduler.next().orElseThrow());
        assertSame(p1, scheduler.next().orElseThrow());
    }

    @Test
    void shouldCountTheBacklogUntilSegmentsAreFinishedOrForgotten() {
        AssembledSegment a1 = segment(0, "a", 1, 100);
        AssembledSegment a2 = segment(0, "a", 2, 100);
        AssembledSegment b1 = segment(1, "b", 3, 50);
        List.of(a1, a2, b1).forEach(scheduler::enqueue);
        assertEquals(250, scheduler.backlogBytes());
        assertEquals(3, scheduler.backlogSegments());

        scheduler.finish(scheduler.next().orElseThrow());
        assertEquals(150, scheduler.backlogBytes());

        scheduler.forgetPartition(0);
        assertEquals(50, scheduler.backlogBytes());
        assertEquals(1, scheduler.backlogSegments());
        assertSame(b1, scheduler.next().orElseThrow());
        assertTrue(scheduler.next().isEmpty());
    }

    @Test
    void shouldLimitRunningJobsAndCancelThoseOfAForgottenPartition() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch interrupted = new CountDownLatch(2);
        for (int i = 0; i < 3; i++) {
            scheduler.enqueue(segment(0, "ns" + i, 1, 10));
        }
        for (int i = 0; i < 2; i++) {
            scheduler.submit(scheduler.next().orElseThrow(), () -> {
                started.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
            });
        }
        assertTrue(started.await(5, TimeUnit.SECONDS));
        assertFalse(scheduler.hasCapacity(), "two jobs run, the pool has two threads");

        scheduler.forgetPartition(0);

        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "jobs of the forgotten partition are interrupted");
        assertTrue(scheduler.hasCapacity());
        assertEquals(0, scheduler.backlogSegments());
        assertTrue(scheduler.next().isEmpty());
    }

    private static AssembledSegment segment(int partition, String namespace, long offset, long bytes) {
        SegmentSource source = new SegmentSource(partition, namespace, "default", "seg-" + offset, 1, 1,
                List.of(offset));
        return AssembledSegment.refused(source, new Refusal(DeadLetterReason.CORRUPT, "test"), bytes);
    }
}
