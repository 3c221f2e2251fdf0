package dev.fathom.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.TestSegments;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DurableFrameTrackerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final DurableFrameTracker tracker = new DurableFrameTracker(new CallbackRunner("test"), Clock.systemUTC());
    private final List<String> outcomes = new CopyOnWriteArrayList<>();
    private final List<String> threads = new CopyOnWriteArrayList<>();
    private final Random random = new Random(3);

    @AfterEach
    void close() {
        tracker.close(WAIT);
    }

    private PendingSegment segment(String namespace, long start, int frames) {
        SealedSegment s = TestSegments.random(start, frames, 512, 4, 1L, random);
        return new PendingSegment(namespace, "default", s, (durable, failure) -> {
            threads.add(Thread.currentThread().getName());
            outcomes.add(namespace + ":" + s.endFrameNo() + "@" + durable + (failure == null ? "" : " failed"));
        });
    }

    @Test
    void shouldCompleteWaitingSegmentsInEndFrameOrderOnTheCallbackThread() {
        tracker.awaitDurable(segment("a", 1, 10));
        tracker.awaitDurable(segment("a", 11, 10));
        tracker.awaitDurable(segment("a", 21, 10));
        tracker.awaitDurable(segment("b", 1, 5));

        tracker.advance("a", 25);
        tracker.advance("b", 5);
        tracker.advance("a", 30);

        Await.until(WAIT, () -> outcomes.size() == 4, "four callbacks");
        assertEquals(List.of("a:10@25", "a:20@25", "b:5@5", "a:30@30"), outcomes);
        assertTrue(threads.stream().allMatch(t -> t.equals("fathom-callbacks-test")), threads.toString());
        assertNotEquals(Thread.currentThread().getName(), threads.get(0));
        assertEquals(0, tracker.waitingCount());
    }

    @Test
    void shouldNeverMoveTheDurableFrameBackwards() {
        assertTrue(tracker.advance("a", 50));
        assertFalse(tracker.advance("a", 40));
        assertFalse(tracker.advance("a", 50));

        assertEquals(50, tracker.durableFrameNo("a"));
        assertEquals(0, tracker.durableFrameNo("unknown"));
    }

    @Test
    void shouldCompleteAtOnceASegmentThatIsAlreadyDurable() {
        tracker.advance("a", 100);
        tracker.awaitDurable(segment("a", 1, 10));

        Await.until(WAIT, () -> outcomes.size() == 1, "the callback");
        assertEquals(List.of("a:10@100"), outcomes);
    }

    @Test
    void shouldRunEachCallbackOnceEvenWhenFailedAfterCompletion() {
        PendingSegment pending = segment("a", 1, 10);
        tracker.awaitDurable(pending);
        tracker.advance("a", 10);
        tracker.fail(pending, new StorageShutdownException("late"));

        Await.until(WAIT, () -> outcomes.size() == 1, "the callback");
        tracker.close(WAIT);
        assertEquals(List.of("a:10@10"), outcomes);
    }

    @Test
    void shouldKeepRunningCallbacksAfterOneThrows() {
        SealedSegment s = TestSegments.random(1, 2, 512, 4, 1L, random);
        tracker.awaitDurable(new PendingSegment("a", "default", s, (d, f) -> {
            throw new IllegalStateException("callback bug");
        }));
        tracker.awaitDurable(segment("a", 3, 2));
        tracker.advance("a", 4);

        Await.until(WAIT, () -> outcomes.size() == 1, "the second callback");
        assertEquals(List.of("a:4@4"), outcomes);
    }

    @Test
    void shouldHandBackWaitingSegmentsForFailingAtShutdown() throws Exception {
        tracker.awaitDurable(segment("a", 1, 10));
        tracker.awaitDurable(segment("b", 1, 10));
        tracker.advance("a", 5);

        assertFalse(tracker.awaitNoneWaiting(java.time.Instant.now().plusMillis(50)));
        List<PendingSegment> waiting = tracker.removeWaiting();
        waiting.forEach(p -> tracker.fail(p, new StorageShutdownException("shutdown")));

        assertEquals(2, waiting.size());
        assertTrue(tracker.awaitNoneWaiting(java.time.Instant.now()));
        Await.until(WAIT, () -> outcomes.size() == 2, "two failed callbacks");
        assertTrue(outcomes.contains("a:10@5 failed"), outcomes.toString());
        assertTrue(outcomes.contains("b:10@0 failed"), outcomes.toString());
    }
}
