package dev.fathom.producer.restore;

import dev.fathom.schemas.format.SegmentId;

/**
 * A segment of a restore chain that holds at least one page of the target state, with what its page index says
 * about its {@code .seg} object (which must agree) and how many pages the restore takes from it. Immutable,
 * thread-safe.
 *
 * @param stored     the segment's keys
 * @param owner      its owner number in the {@link RestorePlan} (1-based position in the chain, oldest first)
 * @param id         frame range and sealed_at from the index header
 * @param sizeAfter  database size in pages after the segment, from the index header
 * @param pageCount  pages the segment holds, from the index header
 * @param dataSize   expected size in bytes of the {@code .seg} object
 * @param ownedPages pages the restore takes from this segment
 */
record OwnedSegment(StoredSegment stored, int owner, SegmentId id, int sizeAfter, int pageCount, long dataSize,
                    int ownedPages) {
}
