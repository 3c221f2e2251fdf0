package dev.fathom.producer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded queue between {@link FathomStorage#store} and the publishing thread. It counts a segment from
 * {@link #put} until the publisher {@link #release releases} it after its transaction, so the bounds cover queued
 * and in-flight segments. When full it blocks (up to a timeout) or fails, as configured; it never drops a
 * segment. A segment larger than the byte bound is accepted when nothing else is counted. Thread-safe.
 */
final class SegmentQueue {

    private final int maxSegments;
    private final long maxBytes;
    private final QueueFullBehavior behavior;
    private final Duration blockTimeout;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<PendingSegment> queued = new ArrayDeque<>(); // guarded by lock
    private int countedSegments; // guarded by lock
    private long countedBytes; // guarded by lock
    private IllegalStateException closed; // guarded by lock; non-null once closed

    SegmentQueue(QueueBounds bounds, Clock clock) {
        this.maxSegments = bounds.maxSegments();
        this.maxBytes = bounds.maxBytes();
        this.behavior = bounds.behavior();
        this.blockTimeout = bounds.blockTimeout();
        this.clock = clock;
    }

    /** The queue's limits and what to do when they are reached. */
    record QueueBounds(int maxSegments, long maxBytes, QueueFullBehavior behavior, Duration blockTimeout) {
    }

    /**
     * Adds a segment at the tail.
     *
     * @throws QueueFullException when full (at once, or after the block timeout, or when interrupted while waiting)
     * @throws IllegalStateException when the queue is closed
     */
    void put(PendingSegment pending) {
        lock.lock();
        try {
            Instant deadline = clock.instant().plus(blockTimeout);
            while (closed == null && !fits(pending)) {
                long remainingMs = Duration.between(clock.instant(), deadline).toMillis();
                if (behavior == QueueFullBehavior.FAIL || remainingMs <= 0) {
                    throw new QueueFullException(fullMessage(pending));
                }
                awaitSpace(pending, remainingMs);
            }
            if (closed != null) {
                throw new IllegalStateException(closed.getMessage() + "; segment " + pending.describe()
                        + " was not stored", closed.getCause());
            }
            queued.addLast(pending);
            countedSegments++;
            countedBytes += pending.bytes();
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    private void awaitSpace(PendingSegment pending, long remainingMs) {
        try {
            notFull.await(remainingMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueueFullException("Interrupted while waiting for space in the segment queue; segment "
                    + pending.describe() + " was not stored", e);
        }
    }

    private boolean fits(PendingSegment pending) {
        if (countedSegments == 0) {
            return true;
        }
        return countedSegments < maxSegments && countedBytes + pending.bytes() <= maxBytes;
    }

    private String fullMessage(PendingSegment pending) {
        String how = behavior == QueueFullBehavior.FAIL ? "queue.full.behavior=fail"
                : "waited queue.block.timeout.ms=" + blockTimeout.toMillis();
        return "Segment queue is full (" + countedSegments + " of " + maxSegments + " segments, " + countedBytes
                + " + " + pending.bytes() + " of " + maxBytes + " bytes; " + how + "); segment "
                + pending.describe() + " was not stored";
    }

    /**
     * Removes segments from the head for one transaction: at least one, then more while their bytes stay within
     * {@code maxBatchBytes}. Blocks while the queue is empty and open.
     *
     * @return the batch in store() order, or an empty list once the queue is closed and empty
     */
    List<PendingSegment> takeBatch(long maxBatchBytes) throws InterruptedException {
        lock.lock();
        try {
            while (queued.isEmpty() && closed == null) {
                notEmpty.await();
            }
            List<PendingSegment> batch = new ArrayList<>();
            long batchBytes = 0;
            while (!queued.isEmpty() && (batch.isEmpty() || batchBytes + queued.peekFirst().bytes() <= maxBatchBytes)) {
                PendingSegment next = queued.pollFirst();
                batchBytes += next.bytes();
                batch.add(next);
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** Stops counting segments the publisher is done with (committed or failed), making room for more. */
    void release(List<PendingSegment> batch) {
        lock.lock();
        try {
            for (PendingSegment pending : batch) {
                countedSegments--;
                countedBytes -= pending.bytes();
            }
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops accepting segments; those queued stay for the publisher to drain. Idempotent (first reason wins). */
    void close(String reason, Throwable cause) {
        lock.lock();
        try {
            if (closed == null) {
                closed = new IllegalStateException(reason, cause);
            }
            notFull.signalAll();
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops accepting segments and removes the queued ones (not the in-flight ones), in store() order. */
    List<PendingSegment> closeAndRemoveQueued(String reason, Throwable cause) {
        lock.lock();
        try {
            close(reason, cause);
            List<PendingSegment> removed = new ArrayList<>(queued);
            queued.clear();
            release(removed);
            return removed;
        } finally {
            lock.unlock();
        }
    }

    /** Returns how many segments are counted (queued or in flight). */
    int size() {
        lock.lock();
        try {
            return countedSegments;
        } finally {
            lock.unlock();
        }
    }

    /** Returns the encoded frame bytes counted (queued or in flight). */
    long bytes() {
        lock.lock();
        try {
            return countedBytes;
        } finally {
            lock.unlock();
        }
    }
}
