/**
 * Byte formats Fathom stores or ships outside Avro: the frame records carried in {@code SegmentChunk.frames}, the
 * compacted segment object ({@code .seg}), its page index ({@code .idx}) and their object keys (docs/FORMATS.md).
 * Everything is big-endian and checksummed with CRC32C; writers are deterministic (same segment, same bytes, same
 * key) so re-uploads are idempotent, and readers refuse any truncated, reordered or corrupted byte with a
 * {@link dev.fathom.schemas.format.CorruptSegmentException} naming where and at which offset.
 */
package dev.fathom.schemas.format;
