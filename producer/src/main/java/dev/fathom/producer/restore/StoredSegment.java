package dev.fathom.producer.restore;

import dev.fathom.schemas.format.SegmentId;

/**
 * One segment found in a bucket: its id and the keys of its data and index objects. Immutable, thread-safe.
 *
 * @param id       frame range and sealed_at parsed from the key
 * @param dataKey  key of the {@code .seg} object
 * @param indexKey key of the {@code .idx} object
 * @param dataSize size in bytes of the {@code .seg} object
 */
public record StoredSegment(SegmentId id, String dataKey, String indexKey, long dataSize) {
}
