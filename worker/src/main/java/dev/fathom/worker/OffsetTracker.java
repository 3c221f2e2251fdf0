package dev.fathom.worker;

import java.util.Collection;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * Tracks, for one partition, the offsets of records consumed but not yet finished, and derives the offset that is
 * safe to commit: the lowest pending offset, or the last consumed offset + 1 when nothing is pending. So committed
 * offsets never pass a record whose segment is still assembling, queued, uploading or awaiting its commit.
 * Not thread-safe; owned by the poll thread.
 */
final class OffsetTracker {

    private final TreeSet<Long> pending = new TreeSet<>();
    private long lastConsumed = -1;
    private long lastCommitted = -1;

    /** Records that the record at {@code offset} was consumed and is not finished yet. */
    void consumed(long offset) {
        pending.add(offset);
        lastConsumed = Math.max(lastConsumed, offset);
    }

    /** Records that the records at {@code offsets} are finished (their outcome is part of the next commit). */
    void finished(Collection<Long> offsets) {
        pending.removeAll(offsets);
    }

    /** Returns the offset to commit, or empty when nothing was consumed. */
    OptionalLong committable() {
        if (lastConsumed < 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(pending.isEmpty() ? lastConsumed + 1 : pending.first());
    }

    /** Returns the offset to commit when it moved past the last committed one, else empty. */
    OptionalLong uncommitted() {
        OptionalLong next = committable();
        return next.isPresent() && next.getAsLong() > lastCommitted ? next : OptionalLong.empty();
    }

    /** Records that {@code offset} was committed. */
    void committed(long offset) {
        lastCommitted = Math.max(lastCommitted, offset);
    }

    /** Returns the number of consumed records not finished yet. */
    int pendingCount() {
        return pending.size();
    }
}
