package dev.fathom.worker;

import dev.fathom.schemas.format.SegmentId;

/**
 * What the meta and catalog records of a durable segment say about it ({@link DurableRecords}): known to a worker
 * from the segment it just uploaded, and to the rebuild from the segment's objects in the bucket. Immutable and
 * thread-safe.
 *
 * @param namespace namespace of the segment
 * @param id frame range and sealed_at
 * @param pageSize database page size in bytes
 * @param sizeAfter database size in pages after the segment
 * @param uploaded where its objects are and what they hold
 */
public record DurableSegment(String namespace, SegmentId id, int pageSize, int sizeAfter, UploadedSegment uploaded) {
}
