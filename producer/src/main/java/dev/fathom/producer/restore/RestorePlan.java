package dev.fathom.producer.restore;

import java.util.List;

/**
 * Which segment each page of a restore's target state comes from: for every page 1..size_after, the newest segment
 * of the chain that holds it at or below every later truncation. Only the segments listed here are fetched.
 * Effectively immutable once {@link RestorePlanner} finished it; safe to read from many threads once published.
 */
final class RestorePlan {

    private final PageOwners owners;
    private final List<OwnedSegment> segments;
    private final int indexesRead;
    private final long indexBytes;

    /**
     * @param owners      owner number ({@link OwnedSegment#owner()}) of every page, all assigned
     * @param segments    the segments that own at least one page, newest first
     * @param indexesRead page index objects fetched to build the plan
     * @param indexBytes  their total size in bytes
     */
    RestorePlan(PageOwners owners, List<OwnedSegment> segments, int indexesRead, long indexBytes) {
        this.owners = owners;
        this.segments = List.copyOf(segments);
        this.indexesRead = indexesRead;
        this.indexBytes = indexBytes;
    }

    /** Returns the target's database size in pages (the restored file's size in pages). */
    int sizeAfter() {
        return owners.sizeAfter();
    }

    /** Returns the segments to fetch, newest first. */
    List<OwnedSegment> segments() {
        return segments;
    }

    int indexesRead() {
        return indexesRead;
    }

    long indexBytes() {
        return indexBytes;
    }

    /** Returns the total size in bytes of the segment objects to fetch. */
    long dataBytes() {
        return segments.stream().mapToLong(OwnedSegment::dataSize).sum();
    }
}
