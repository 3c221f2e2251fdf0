package dev.fathom.worker;

/**
 * Where a compacted segment and its page index were written, and what they hold. Immutable and thread-safe.
 *
 * @param profile storage profile written to
 * @param bucket bucket written to
 * @param dataKey key of the {@code .seg} object
 * @param indexKey key of the {@code .idx} object
 * @param dataSize size of the {@code .seg} object in bytes
 * @param indexSize size of the {@code .idx} object in bytes
 * @param dataCrc32c CRC32C of the whole {@code .seg} object
 * @param indexCrc32c CRC32C of the whole {@code .idx} object
 * @param pageCount distinct pages in the compacted segment
 */
public record UploadedSegment(String profile, String bucket, String dataKey, String indexKey, long dataSize,
                              long indexSize, int dataCrc32c, int indexCrc32c, int pageCount) {
}
