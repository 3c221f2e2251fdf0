package dev.fathom.producer.outbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts the outbox's entries and bytes (on disk, or reserved while being written) against {@code outbox.max.bytes},
 * and makes writers wait for, or fail without, room. One entry larger than the bound fits an empty outbox, so a
 * single large segment never blocks forever. Thread-safe.
 */
final class OutboxSpace {

    private final Path dir;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private long bytes; // guarded by lock
    private int entries; // guarded by lock
    private boolean closed; // guarded by lock

    OutboxSpace(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
    }

    /** Counts an entry that is already on disk (found at open). */
    void add(long size) {
        lock.lock();
        try {
            bytes += size;
            entries++;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reserves room for an entry of {@code size} bytes, waiting up to {@code wait} for deletes to free it.
     *
     * @throws OutboxFullException naming the directory, the size and the limit when there is no room in time
     * @throws IllegalStateException when the outbox was closed
     */
    void reserve(long size, Duration wait, String segment) {
        lock.lock();
        try {
            long deadline = System.nanoTime() + wait.toNanos();
            while (!closed && entries > 0 && bytes + size > maxBytes) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new OutboxFullException("Outbox " + dir + " is full: " + entries + " entries of " + bytes
                            + " bytes + " + size + " bytes for segment " + segment + " exceed outbox.max.bytes="
                            + maxBytes + (wait.isZero() ? "" : " after waiting " + wait.toMillis() + " ms")
                            + "; entries leave once their segments are durable");
                }
                try {
                    freed.await(remaining, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new OutboxFullException("Interrupted while waiting for space in the outbox " + dir
                            + "; segment " + segment + " was not stored", e);
                }
            }
            if (closed) {
                throw new IllegalStateException("The outbox " + dir + " is closed; segment " + segment
                        + " was not stored");
            }
            bytes += size;
            entries++;
        } finally {
            lock.unlock();
        }
    }

    /** Makes every waiting and later {@link #reserve} fail; deletes still free room. */
    void close() {
        lock.lock();
        try {
            closed = true;
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Frees the room of a deleted entry (or of a reservation whose write failed). */
    void release(long size) {
        lock.lock();
        try {
            bytes -= size;
            entries--;
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    int entries() {
        lock.lock();
        try {
            return entries;
        } finally {
            lock.unlock();
        }
    }

    long maxBytes() {
        return maxBytes;
    }
}
