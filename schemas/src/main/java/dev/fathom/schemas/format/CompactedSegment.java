package dev.fathom.schemas.format;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A verified compacted segment object ({@code .seg}, docs/FORMATS.md): the newest version of each page of one
 * segment, sorted by page_no. {@link #read} checks every byte (magic, version, header CRC, every page CRC, trailer
 * CRC and structure) before anything is returned. Immutable and thread-safe; it keeps a view of the buffer it was
 * read from (no copy), which nobody may modify afterwards.
 */
public final class CompactedSegment {

    static final byte[] MAGIC = ObjectHeader.ascii("FTHMSEG\u0001");
    static final byte[] TRAILER_MAGIC = ObjectHeader.ascii("FTHMEND\u0001");
    /** Bytes before the page bytes in each page record: page_no, frame_no, page CRC32C. */
    static final int RECORD_HEADER_SIZE = 16;
    static final int TRAILER_SIZE = 16;
    private static final String KIND = "compacted segment";

    private final ObjectHeader header;
    private final ByteBuffer data;
    private final int[] pageNos;
    private final long[] frameNos;

    private CompactedSegment(ObjectHeader header, ByteBuffer data, int[] pageNos, long[] frameNos) {
        this.header = header;
        this.data = data;
        this.pageNos = pageNos;
        this.frameNos = frameNos;
    }

    /** Size in bytes of a .seg object holding {@code pageCount} pages of {@code pageSize} bytes. */
    static long objectSize(int pageCount, int pageSize) {
        return recordOffset(pageCount, pageSize) + TRAILER_SIZE;
    }

    /** Offset of the i-th page record (its page_no field) inside the .seg object. */
    static long recordOffset(int index, int pageSize) {
        return ObjectHeader.SIZE + (long) index * (RECORD_HEADER_SIZE + pageSize);
    }

    /** Offset of the i-th page's bytes inside the .seg object (what the page index records). */
    static long pageOffset(int index, int pageSize) {
        return recordOffset(index, pageSize) + RECORD_HEADER_SIZE;
    }

    /**
     * Verifies and opens the .seg object between the buffer's position and limit (its position is not moved).
     *
     * @param where where the bytes came from, for messages (e.g. {@code s3://bucket/ns/segments/...seg})
     * @throws CorruptSegmentException naming where, the byte offset and expected vs actual
     */
    public static CompactedSegment read(ByteBuffer data, String where) {
        ByteBuffer in = data.slice();
        ObjectHeader header = ObjectHeader.read(in, MAGIC, KIND, where);
        long expected = objectSize(header.pageCount(), header.pageSize());
        ObjectHeader.require(in.remaining() >= expected, where, in.remaining(), "truncated " + KIND + ": "
                + in.remaining() + " bytes, expected " + expected + " for " + header.pageCount() + " pages of "
                + header.pageSize() + " bytes");
        ObjectHeader.require(in.remaining() == expected, where, expected, "unexpected trailing bytes after the "
                + KIND + " trailer: " + in.remaining() + " bytes, expected " + expected);
        verifyPageCrcs(in, header, where);
        verifyTrailer(in, header, where);
        int[] pageNos = new int[header.pageCount()];
        long[] frameNos = new long[header.pageCount()];
        readRecords(in, header, where, pageNos, frameNos);
        return new CompactedSegment(header, in.asReadOnlyBuffer(), pageNos, frameNos);
    }

    private static void verifyPageCrcs(ByteBuffer in, ObjectHeader header, String where) {
        int pageSize = header.pageSize();
        for (int i = 0; i < header.pageCount(); i++) {
            int record = (int) recordOffset(i, pageSize);
            int stored = in.getInt(record + 12);
            int computed = ObjectHeader.crc32c(in, record + RECORD_HEADER_SIZE, record + RECORD_HEADER_SIZE + pageSize);
            if (stored != computed) {
                throw new CorruptSegmentException(where, record + 12, "page CRC32C mismatch in page record " + i
                        + " (page_no " + Integer.toUnsignedLong(in.getInt(record)) + "): computed "
                        + ObjectHeader.hex(computed) + ", stored " + ObjectHeader.hex(stored));
            }
        }
    }

    private static void verifyTrailer(ByteBuffer in, ObjectHeader header, String where) {
        int trailer = (int) recordOffset(header.pageCount(), header.pageSize());
        byte[] magic = new byte[TRAILER_MAGIC.length];
        in.get(trailer, magic);
        ObjectHeader.require(Arrays.equals(magic, TRAILER_MAGIC), where, trailer,
                "bad " + KIND + " trailer magic: expected " + ObjectHeader.describe(TRAILER_MAGIC) + ", actual "
                        + ObjectHeader.describe(magic));
        long count = Integer.toUnsignedLong(in.getInt(trailer + 8));
        ObjectHeader.require(count == header.pageCount(), where, trailer + 8, "inconsistent page count: trailer says "
                + count + ", header says " + header.pageCount());
        int stored = in.getInt(trailer + 12);
        int computed = ObjectHeader.crc32c(in, ObjectHeader.SIZE, trailer + 12);
        ObjectHeader.require(stored == computed, where, trailer + 12, KIND + " trailer CRC32C mismatch: computed "
                + ObjectHeader.hex(computed) + ", stored " + ObjectHeader.hex(stored));
    }

    private static void readRecords(ByteBuffer in, ObjectHeader header, String where, int[] pageNos,
            long[] frameNos) {
        long previous = 0;
        for (int i = 0; i < pageNos.length; i++) {
            int record = (int) recordOffset(i, header.pageSize());
            long pageNo = Integer.toUnsignedLong(in.getInt(record));
            long frameNo = in.getLong(record + 4);
            if (pageNo <= previous) {
                throw new CorruptSegmentException(where, record, "page records out of order: page_no " + pageNo
                        + " in record " + i + ", expected > " + previous + " (sorted, no duplicates, from 1)");
            }
            if (pageNo > header.sizeAfter()) {
                throw new CorruptSegmentException(where, record, "page_no " + pageNo + " in record "
                        + i + " is beyond size_after " + header.sizeAfter());
            }
            if (frameNo < header.startFrameNo() || frameNo > header.endFrameNo()) {
                throw new CorruptSegmentException(where, record + 4,
                        "frame_no " + Long.toUnsignedString(frameNo) + " of page_no " + pageNo
                                + " is outside the segment's range " + header.startFrameNo() + ".."
                                + header.endFrameNo());
            }
            pageNos[i] = (int) pageNo;
            frameNos[i] = frameNo;
            previous = pageNo;
        }
    }

    /** Returns the pages sorted by page_no, each with its frame_no and size_after 0 (copies of the bytes). */
    public List<Frame> pages() {
        List<Frame> pages = new ArrayList<>(pageNos.length);
        for (int i = 0; i < pageNos.length; i++) {
            pages.add(new Frame(pageNos[i], 0, frameNos[i], pageBytes(i)));
        }
        return pages;
    }

    /** Returns a copy of the bytes of page {@code pageNo}, or empty when this segment does not hold it. */
    public Optional<byte[]> page(int pageNo) {
        int i = Arrays.binarySearch(pageNos, pageNo);
        return i < 0 ? Optional.empty() : Optional.of(pageBytes(i));
    }

    private byte[] pageBytes(int index) {
        byte[] page = new byte[header.pageSize()];
        data.duplicate().get((int) pageOffset(index, header.pageSize()), page);
        return page;
    }

    /** Returns the segment's id (frame range and sealed_at). */
    public SegmentId id() {
        return header.id();
    }

    /** Returns the database page size in bytes. */
    public int pageSize() {
        return header.pageSize();
    }

    /** Returns the first frame number of the segment. */
    public long startFrameNo() {
        return header.startFrameNo();
    }

    /** Returns the last frame number of the segment. */
    public long endFrameNo() {
        return header.endFrameNo();
    }

    /** Returns the time of the segment's last commit, ms since the Unix epoch (UTC). */
    public long sealedAtMs() {
        return header.sealedAtMs();
    }

    /** Returns the database size in pages after the segment. */
    public int sizeAfter() {
        return header.sizeAfter();
    }

    /** Returns the number of distinct pages held. */
    public int pageCount() {
        return header.pageCount();
    }

    @Override
    public String toString() {
        return "CompactedSegment[" + id() + ", pageSize=" + pageSize() + ", pages=" + pageCount() + ", sizeAfter="
                + sizeAfter() + "]";
    }
}
