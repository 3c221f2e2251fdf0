package dev.fathom.producer.agent;

import java.util.List;

/**
 * What one {@link WalReader#read} found: committed frames in WAL order, the position to resume from, and whether the
 * WAL was restarted since the position read from. Immutable; thread-safe.
 *
 * @param frames valid frames up to and including the last valid commit frame read; empty when none
 * @param next where the next read resumes: just after the last returned commit frame
 * @param saltChanged true when the WAL header's salts differ from those of the position read from: SQLite restarted
 *     (or truncated and rewrote) the WAL, so {@code frames} start at index 0 of the new generation, and frames of
 *     the old generation not yet read are gone
 */
public record WalBatch(List<WalFrame> frames, WalPosition next, boolean saltChanged) {

    public WalBatch {
        frames = List.copyOf(frames);
    }

    /** Returns true when no committed frame was read. */
    public boolean isEmpty() {
        return frames.isEmpty();
    }
}
