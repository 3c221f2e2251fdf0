package dev.fathom.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.TestSegments;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SegmentQueueTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Each test segment: 2 frames of 1024-byte pages = 2 * 1040 encoded bytes. */
    private static final long SEGMENT_BYTES = 2 * 1040;

    private final Random random = new Random(11);
    private long nextFrame = 1;

    private PendingSegment segment(String namespace) {
        SealedSegment s = TestSegments.random(nextFrame, 2, 1024, 4, 1L, random);
        nextFrame = s.endFrameNo() + 1;
        return new PendingSegment(namespace, "default", s, (d, f) -> { });
    }

    private static SegmentQueue queue(int maxSegments, long maxBytes, QueueFullBehavior behavior, Duration timeout) {
        return new SegmentQueue(new SegmentQueue.QueueBounds(maxSegments, maxBytes, behavior, timeout),
                Clock.systemUTC());
    }

    @Test
    void shouldFailAtOnceWhenTheSegmentBoundIsReached() {
        SegmentQueue queue = queue(2, Long.MAX_VALUE, QueueFullBehavior.FAIL, Duration.ofMinutes(1));
        queue.put(segment("a"));
        queue.put(segment("a"));

        QueueFullException e = assertThrows(QueueFullException.class, () -> queue.put(segment("a")));
        assertTrue(e.getMessage().contains("2 of 2 segments"), e.getMessage());
        assertEquals(2, queue.size());
    }

    @Test
    void shouldFailWhenTheByteBoundWouldBeExceeded() {
        SegmentQueue queue = queue(100, SEGMENT_BYTES * 2, QueueFullBehavior.FAIL, Duration.ZERO);
        queue.put(segment("a"));
        queue.put(segment("b"));

        assertThrows(QueueFullException.class, () -> queue.put(segment("c")));
        assertEquals(SEGMENT_BYTES * 2, queue.bytes());
    }

    @Test
    void shouldAcceptASegmentLargerThanTheByteBoundWhenEmpty() {
        SegmentQueue queue = queue(100, 10, QueueFullBehavior.FAIL, Duration.ZERO);
        queue.put(segment("a"));

        assertThrows(QueueFullException.class, () -> queue.put(segment("a")));
        assertEquals(1, queue.size());
    }

    @Test
    void shouldBlockUntilTheTimeoutThenThrow() {
        SegmentQueue queue = queue(1, Long.MAX_VALUE, QueueFullBehavior.BLOCK, Duration.ofMillis(200));
        queue.put(segment("a"));

        long start = System.nanoTime();
        QueueFullException e = assertThrows(QueueFullException.class, () -> queue.put(segment("a")));
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMs >= 190, "waited only " + waitedMs + " ms");
        assertTrue(e.getMessage().contains("queue.block.timeout.ms=200"), e.getMessage());
    }

    @Test
    void shouldUnblockWhenThePublisherReleasesItsBatch() throws Exception {
        SegmentQueue queue = queue(1, Long.MAX_VALUE, QueueFullBehavior.BLOCK, Duration.ofMinutes(1));
        PendingSegment first = segment("a");
        PendingSegment second = segment("a");
        queue.put(first);
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> queue.put(second));

        List<PendingSegment> batch = queue.takeBatch(Long.MAX_VALUE);
        assertEquals(List.of(first), batch);
        assertFalse(blocked.isDone(), "an in-flight segment still counts until released");
        queue.release(batch);

        Await.until(WAIT, blocked::isDone, "the blocked put to complete after release");
        blocked.get();
        assertEquals(List.of(second), queue.takeBatch(Long.MAX_VALUE));
    }

    @Test
    void shouldGroupSegmentsUpToTheTransactionBytesButAlwaysTakeOne() throws Exception {
        SegmentQueue queue = queue(100, Long.MAX_VALUE, QueueFullBehavior.FAIL, Duration.ZERO);
        List<PendingSegment> stored = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            stored.add(segment(i % 2 == 0 ? "a" : "b"));
            queue.put(stored.get(i));
        }

        assertEquals(stored.subList(0, 2), queue.takeBatch(SEGMENT_BYTES * 2 + 1));
        assertEquals(stored.subList(2, 3), queue.takeBatch(1));
        assertEquals(stored.subList(3, 5), queue.takeBatch(Long.MAX_VALUE));
    }

    @Test
    void shouldRejectNewSegmentsOnceClosedButLetThePublisherDrainQueuedOnes() throws Exception {
        SegmentQueue queue = queue(100, Long.MAX_VALUE, QueueFullBehavior.BLOCK, Duration.ofMinutes(1));
        PendingSegment queued = segment("a");
        queue.put(queued);
        queue.close("storage is shut down", null);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> queue.put(segment("a")));
        assertTrue(e.getMessage().startsWith("storage is shut down"), e.getMessage());
        assertEquals(List.of(queued), queue.takeBatch(Long.MAX_VALUE));
        assertEquals(List.of(), queue.takeBatch(Long.MAX_VALUE), "closed and drained");
    }

    @Test
    void shouldWakeABlockedStoreWhenClosed() {
        SegmentQueue queue = queue(1, Long.MAX_VALUE, QueueFullBehavior.BLOCK, Duration.ofMinutes(1));
        queue.put(segment("a"));
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> queue.put(segment("a")));

        queue.close("storage is shut down", null);

        Await.until(WAIT, blocked::isDone, "the blocked put to fail after close");
        assertTrue(blocked.isCompletedExceptionally());
        assertEquals(1, queue.size());
    }

    @Test
    void shouldHandBackEveryQueuedSegmentInOrderWhenRemoved() throws Exception {
        SegmentQueue queue = queue(100, Long.MAX_VALUE, QueueFullBehavior.FAIL, Duration.ZERO);
        List<PendingSegment> stored = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            stored.add(segment("a"));
            queue.put(stored.get(i));
        }
        List<PendingSegment> inFlight = queue.takeBatch(SEGMENT_BYTES * 2);

        List<PendingSegment> removed = queue.closeAndRemoveQueued("forced", null);

        assertEquals(stored.subList(0, 2), inFlight);
        assertEquals(stored.subList(2, 6), removed, "nothing is dropped: queued segments are handed back");
        assertEquals(2, queue.size(), "the in-flight batch still counts");
        queue.release(inFlight);
        assertEquals(0, queue.size());
        assertEquals(0, queue.bytes());
        assertEquals(List.of(), queue.takeBatch(Long.MAX_VALUE));
    }

    @Test
    void shouldFailABlockedStoreWhenItsThreadIsInterrupted() {
        SegmentQueue queue = queue(1, Long.MAX_VALUE, QueueFullBehavior.BLOCK, Duration.ofMinutes(1));
        queue.put(segment("a"));
        Thread.currentThread().interrupt();
        try {
            QueueFullException e = assertThrows(QueueFullException.class, () -> queue.put(segment("a")));
            assertTrue(e.getMessage().startsWith("Interrupted"), e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag is kept");
        } finally {
            Thread.interrupted();
        }
    }
}
