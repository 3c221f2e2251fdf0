package dev.fathom.producer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Knows each namespace's durable frame number and the published segments waiting for it, and completes their
 * callbacks (through {@link CallbackRunner}) in end-frame order once the durable frame number covers them.
 * Thread-safe: the watcher advances it, the publisher registers segments, anyone reads it. The durable frame number
 * only moves forward; memory is one long per namespace plus the segments still waiting.
 */
final class DurableFrameTracker implements AutoCloseable {

    private static final Comparator<Waiting> BY_END_FRAME =
            Comparator.comparingLong(Waiting::endFrameNo).thenComparingLong(Waiting::sequence);

    private final Map<String, Long> durable = new ConcurrentHashMap<>();
    private final Map<String, PriorityQueue<Waiting>> waiting = new HashMap<>(); // guarded by this
    private final CallbackRunner runner;
    private final Clock clock;
    private long sequence; // guarded by this
    private int waitingCount; // guarded by this

    private record Waiting(long endFrameNo, long sequence, PendingSegment pending) {
    }

    DurableFrameTracker(CallbackRunner runner, Clock clock) {
        this.runner = runner;
        this.clock = clock;
    }

    /** Returns the namespace's durable frame number, 0 when none was seen. */
    long durableFrameNo(String namespace) {
        return durable.getOrDefault(namespace, 0L);
    }

    /** Waits for a published segment to become durable; completes it at once when it already is. */
    synchronized void awaitDurable(PendingSegment pending) {
        long durableFrameNo = durableFrameNo(pending.namespace());
        if (durableFrameNo >= pending.endFrameNo()) {
            runner.complete(pending, durableFrameNo, null);
            return;
        }
        waiting.computeIfAbsent(pending.namespace(), ns -> new PriorityQueue<>(BY_END_FRAME))
                .add(new Waiting(pending.endFrameNo(), sequence++, pending));
        waitingCount++;
    }

    /**
     * Records that frames up to {@code durableFrameNo} of the namespace are durable and completes, in end-frame order,
     * every waiting segment it covers. A value not above the known one is ignored (durability never goes back).
     *
     * @return whether the durable frame number moved forward
     */
    synchronized boolean advance(String namespace, long durableFrameNo) {
        if (durableFrameNo <= durableFrameNo(namespace)) {
            return false;
        }
        durable.put(namespace, durableFrameNo);
        PriorityQueue<Waiting> queue = waiting.get(namespace);
        while (queue != null && !queue.isEmpty() && queue.peek().endFrameNo() <= durableFrameNo) {
            runner.complete(queue.poll().pending(), durableFrameNo, null);
            waitingCount--;
        }
        if (queue != null && queue.isEmpty()) {
            waiting.remove(namespace);
        }
        if (waitingCount == 0) {
            notifyAll();
        }
        return true;
    }

    /** Reports a failure to the segment's callback, with the durable frame number known now. */
    void fail(PendingSegment pending, Throwable failure) {
        runner.complete(pending, durableFrameNo(pending.namespace()), failure);
    }

    /** Returns how many published segments wait for durability. */
    synchronized int waitingCount() {
        return waitingCount;
    }

    /**
     * Waits until no published segment waits for durability, or the deadline passes.
     *
     * @return true when none waits
     */
    synchronized boolean awaitNoneWaiting(Instant deadline) throws InterruptedException {
        while (waitingCount > 0) {
            long remainingMs = Duration.between(clock.instant(), deadline).toMillis();
            if (remainingMs <= 0) {
                return false;
            }
            wait(remainingMs);
        }
        return true;
    }

    /** Removes every waiting segment, for failing them at shutdown, in end-frame order per namespace. */
    synchronized List<PendingSegment> removeWaiting() {
        List<PendingSegment> removed = new ArrayList<>(waitingCount);
        for (PriorityQueue<Waiting> queue : waiting.values()) {
            while (!queue.isEmpty()) {
                removed.add(queue.poll().pending());
            }
        }
        waiting.clear();
        waitingCount = 0;
        notifyAll();
        return removed;
    }

    /** Runs the callbacks already completed, waiting at most {@code timeout}. */
    void close(Duration timeout) {
        runner.close(timeout);
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
