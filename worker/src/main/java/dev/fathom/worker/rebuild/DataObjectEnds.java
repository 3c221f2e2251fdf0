package dev.fathom.worker.rebuild;

import dev.fathom.schemas.format.CorruptSegmentException;
import dev.fathom.schemas.format.PageIndex;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The first and last bytes of a {@code .seg} object (docs/FORMATS.md: the 52-byte header and the 16-byte trailer),
 * checked against the segment's verified page index, and the whole-object CRC32C derived from them: the trailer
 * CRC covers every byte between header and trailer CRC, so CRC32C(object) = combine(CRC32C(header), trailer CRC,
 * length − 56) extended by the 4 trailer CRC bytes. Two ranged GETs instead of the whole object. Immutable;
 * thread-safe.
 */
final class DataObjectEnds {

    static final int HEADER_SIZE = 52;
    static final int TRAILER_SIZE = 16;
    private static final byte[] DATA_MAGIC = "FTHMSEG\u0001".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] TRAILER_MAGIC = "FTHMEND\u0001".getBytes(StandardCharsets.ISO_8859_1);
    /** Header bytes after the magic that both objects share: version, reserved, page size ... page count. */
    private static final int SHARED_FROM = 8;
    private static final int HEADER_CRC_OFFSET = 48;
    private static final int TRAILER_COUNT_OFFSET = 8;
    private static final int TRAILER_CRC_OFFSET = 12;

    private final byte[] header;
    private final byte[] trailer;
    private final long size;

    /**
     * @param header the object's first {@value #HEADER_SIZE} bytes
     * @param trailer the object's last {@value #TRAILER_SIZE} bytes
     * @param size the object's size in bytes
     */
    DataObjectEnds(byte[] header, byte[] trailer, long size) {
        this.header = header.clone();
        this.trailer = trailer.clone();
        this.size = size;
    }

    /**
     * Returns the CRC32C of the whole object after checking that its ends agree with {@code index} (read from
     * {@code indexBytes}): magic, header CRC, every header field, trailer magic and page count.
     *
     * @param where the object's address for messages ({@code s3://bucket/key})
     * @throws CorruptSegmentException naming where, the offset and what differs
     */
    int verifiedCrc32c(PageIndex index, byte[] indexBytes, String where) {
        require(size == index.dataSize(), where, 0, "size " + size + " bytes, but its index expects "
                + index.dataSize() + " for " + index.pageCount() + " pages of " + index.pageSize() + " bytes");
        require(header.length == HEADER_SIZE && trailer.length == TRAILER_SIZE, where, 0,
                "short read of the object's ends: " + header.length + " + " + trailer.length + " bytes");
        require(Arrays.equals(header, 0, DATA_MAGIC.length, DATA_MAGIC, 0, DATA_MAGIC.length), where, 0,
                "not a compacted segment: bad magic");
        ByteBuffer head = ByteBuffer.wrap(header);
        require(head.getInt(HEADER_CRC_OFFSET) == crc32c(header, 0, HEADER_CRC_OFFSET), where, HEADER_CRC_OFFSET,
                "compacted segment header CRC32C mismatch");
        require(Arrays.equals(header, SHARED_FROM, HEADER_CRC_OFFSET, indexBytes, SHARED_FROM, HEADER_CRC_OFFSET),
                where, SHARED_FROM, "header differs from its index's header (segment " + index.id() + ")");
        long trailerAt = size - TRAILER_SIZE;
        require(Arrays.equals(trailer, 0, TRAILER_MAGIC.length, TRAILER_MAGIC, 0, TRAILER_MAGIC.length), where,
                trailerAt, "bad trailer magic");
        ByteBuffer tail = ByteBuffer.wrap(trailer);
        require(tail.getInt(TRAILER_COUNT_OFFSET) == index.pageCount(), where, trailerAt + TRAILER_COUNT_OFFSET,
                "trailer page count " + Integer.toUnsignedLong(tail.getInt(TRAILER_COUNT_OFFSET))
                        + ", index page count " + index.pageCount());
        int body = Crc32cCombiner.combine(crc32c(header, 0, HEADER_SIZE), tail.getInt(TRAILER_CRC_OFFSET),
                size - HEADER_SIZE - (TRAILER_SIZE - TRAILER_CRC_OFFSET));
        return Crc32cCombiner.combine(body, crc32c(trailer, TRAILER_CRC_OFFSET, TRAILER_SIZE),
                TRAILER_SIZE - TRAILER_CRC_OFFSET);
    }

    static int crc32c(byte[] bytes, int from, int to) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, from, to - from);
        return (int) crc.getValue();
    }

    private static void require(boolean ok, String where, long offset, String problem) {
        if (!ok) {
            throw new CorruptSegmentException(where, offset, problem);
        }
    }
}
