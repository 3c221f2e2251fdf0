package dev.fathom.schemas.format;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A verified page index object ({@code .idx}, docs/FORMATS.md): page_no → location of the page bytes inside the
 * companion {@code .seg}, so a reader can fetch one page with a ranged GET. {@link #read} checks magic, version,
 * header CRC, trailer CRC and structure; {@link #locate} is a binary search. Immutable and thread-safe.
 */
public final class PageIndex {

    static final byte[] MAGIC = ObjectHeader.ascii("FTHMIDX\u0001");
    static final int ENTRY_SIZE = 28;
    static final int TRAILER_SIZE = 4;
    private static final String KIND = "page index";

    private final ObjectHeader header;
    private final int[] pageNos;
    private final long[] frameNos;
    private final int[] crcs;

    private PageIndex(ObjectHeader header, int[] pageNos, long[] frameNos, int[] crcs) {
        this.header = header;
        this.pageNos = pageNos;
        this.frameNos = frameNos;
        this.crcs = crcs;
    }

    /** Size in bytes of a .idx object with {@code pageCount} entries. */
    static long objectSize(int pageCount) {
        return ObjectHeader.SIZE + (long) pageCount * ENTRY_SIZE + TRAILER_SIZE;
    }

    /**
     * Verifies and opens the .idx object between the buffer's position and limit (its position is not moved).
     *
     * @param where where the bytes came from, for messages (e.g. {@code s3://bucket/ns/segments/...idx})
     * @throws CorruptSegmentException naming where, the byte offset and expected vs actual
     */
    public static PageIndex read(ByteBuffer index, String where) {
        ByteBuffer in = index.slice();
        ObjectHeader header = ObjectHeader.read(in, MAGIC, KIND, where);
        long expected = objectSize(header.pageCount());
        ObjectHeader.require(in.remaining() >= expected, where, in.remaining(), "truncated " + KIND + ": "
                + in.remaining() + " bytes, expected " + expected + " for " + header.pageCount() + " entries");
        ObjectHeader.require(in.remaining() == expected, where, expected, "unexpected trailing bytes after the "
                + KIND + " trailer: " + in.remaining() + " bytes, expected " + expected);
        int trailer = (int) expected - TRAILER_SIZE;
        int stored = in.getInt(trailer);
        int computed = ObjectHeader.crc32c(in, 0, trailer);
        ObjectHeader.require(stored == computed, where, trailer, KIND + " trailer CRC32C mismatch: computed "
                + ObjectHeader.hex(computed) + ", stored " + ObjectHeader.hex(stored));
        PageIndex result = new PageIndex(header, new int[header.pageCount()], new long[header.pageCount()],
                new int[header.pageCount()]);
        result.readEntries(in, where);
        return result;
    }

    private void readEntries(ByteBuffer in, String where) {
        long previous = 0;
        for (int i = 0; i < pageNos.length; i++) {
            int entry = ObjectHeader.SIZE + i * ENTRY_SIZE;
            long pageNo = Integer.toUnsignedLong(in.getInt(entry));
            long frameNo = in.getLong(entry + 4);
            long offset = in.getLong(entry + 12);
            long length = Integer.toUnsignedLong(in.getInt(entry + 20));
            if (pageNo <= previous) {
                throw new CorruptSegmentException(where, entry, "index entries out of order: page_no " + pageNo
                        + " in entry " + i + ", expected > " + previous + " (sorted, no duplicates, from 1)");
            }
            if (pageNo > header.sizeAfter()) {
                throw new CorruptSegmentException(where, entry, "page_no " + pageNo + " in entry " + i
                        + " is beyond size_after " + header.sizeAfter());
            }
            if (frameNo < header.startFrameNo() || frameNo > header.endFrameNo()) {
                throw new CorruptSegmentException(where, entry + 4,
                        "frame_no " + Long.toUnsignedString(frameNo) + " of page_no " + pageNo
                                + " is outside the segment's range " + header.startFrameNo() + ".."
                                + header.endFrameNo());
            }
            long expectedOffset = CompactedSegment.pageOffset(i, header.pageSize());
            if (offset != expectedOffset) {
                throw new CorruptSegmentException(where, entry + 12, "offset of page_no " + pageNo
                        + ": expected " + expectedOffset + ", actual " + Long.toUnsignedString(offset));
            }
            if (length != header.pageSize()) {
                throw new CorruptSegmentException(where, entry + 20, "length of page_no " + pageNo
                        + ": expected the page size " + header.pageSize() + ", actual " + length);
            }
            pageNos[i] = (int) pageNo;
            frameNos[i] = frameNo;
            crcs[i] = in.getInt(entry + 24);
            previous = pageNo;
        }
    }

    /** Returns where page {@code pageNo} lives in the .seg object, or empty when the segment does not hold it. */
    public Optional<PageLocation> locate(int pageNo) {
        int i = Arrays.binarySearch(pageNos, pageNo);
        return i < 0 ? Optional.empty() : Optional.of(location(i));
    }

    /** Returns every location, sorted by page_no. */
    public List<PageLocation> locations() {
        List<PageLocation> all = new ArrayList<>(pageNos.length);
        for (int i = 0; i < pageNos.length; i++) {
            all.add(location(i));
        }
        return all;
    }

    private PageLocation location(int i) {
        return new PageLocation(pageNos[i], frameNos[i], CompactedSegment.pageOffset(i, header.pageSize()),
                header.pageSize(), crcs[i]);
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

    /** Returns the number of pages indexed. */
    public int pageCount() {
        return header.pageCount();
    }

    /** Returns the size in bytes of the .seg object this index describes. */
    public long dataSize() {
        return CompactedSegment.objectSize(header.pageCount(), header.pageSize());
    }

    @Override
    public String toString() {
        return "PageIndex[" + id() + ", pageSize=" + pageSize() + ", pages=" + pageCount() + "]";
    }
}
