package dev.fathom.schemas.format;

/**
 * Where one page lives inside a compacted segment object, as recorded by its page index: enough for a ranged GET
 * of {@code bytes=offset..offset+length-1} and a CRC32C check of the result. Immutable and thread-safe.
 *
 * @param pageNo page number
 * @param frameNo frame number of the page version held (the newest in the segment)
 * @param offset byte offset of the page bytes inside the .seg object
 * @param length number of page bytes (the page size)
 * @param crc32c CRC32C of the page bytes
 */
public record PageLocation(int pageNo, long frameNo, long offset, int length, int crc32c) {
}
