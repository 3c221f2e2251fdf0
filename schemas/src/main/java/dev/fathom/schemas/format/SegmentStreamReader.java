package dev.fathom.schemas.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Verifies a compacted segment object ({@code .seg}, docs/FORMATS.md) while it streams in, one page record at a
 * time, so a reader never holds the whole object: {@link #open} checks the header (length, magic, version, CRC,
 * field rules); each {@link #next} reads one record and checks its page_no order and bound, its frame_no range and
 * its page CRC; the {@code next} that returns false checks the trailer (magic, page count, CRC over every byte after
 * the header) and that the stream ends there. Failures throw {@link CorruptSegmentException} with the same wording
 * and byte offsets as {@link CompactedSegment#read}. A page handed out before the trailer is verified is only known
 * to match its own CRC: callers must treat everything they did with it as provisional until {@code next} returned
 * false. Not thread-safe: one reader per stream, used by one thread; it never closes the stream.
 */
public final class SegmentStreamReader {

    private static final String KIND = "compacted segment";

    private final InputStream in;
    private final String where;
    private final ObjectHeader header;
    private final byte[] recordHeader = new byte[CompactedSegment.RECORD_HEADER_SIZE];
    private final byte[] page;
    private final ByteBuffer pageView;
    private final CRC32C trailerCrc = new CRC32C();
    private final CRC32C pageCrc = new CRC32C();
    private long position = ObjectHeader.SIZE;
    private int recordsRead;
    private int pageNo;
    private long frameNo;
    private boolean finished;

    private SegmentStreamReader(InputStream in, String where, ObjectHeader header) {
        this.in = in;
        this.where = where;
        this.header = header;
        this.page = new byte[header.pageSize()];
        this.pageView = ByteBuffer.wrap(page).asReadOnlyBuffer();
    }

    /**
     * Reads and verifies the 52-byte header from {@code in}.
     *
     * @param where where the bytes come from, for messages (e.g. {@code s3://bucket/ns/segments/...seg})
     * @throws CorruptSegmentException when the header is truncated, has a wrong magic or version, a bad CRC or an
     *                                 invalid field
     * @throws IOException             when the stream fails
     */
    public static SegmentStreamReader open(InputStream in, String where) throws IOException {
        byte[] bytes = in.readNBytes(ObjectHeader.SIZE);
        ObjectHeader header = ObjectHeader.read(ByteBuffer.wrap(bytes), CompactedSegment.MAGIC, KIND, where);
        return new SegmentStreamReader(in, where, header);
    }

    /**
     * Reads the next page record into this reader's page buffer ({@link #page()}); after the last record it verifies
     * the trailer and the end of the stream and returns false (and false again on later calls).
     *
     * @throws CorruptSegmentException naming where, the byte offset and expected vs actual
     * @throws IOException             when the stream fails
     */
    public boolean next() throws IOException {
        if (finished) {
            return false;
        }
        if (recordsRead == header.pageCount()) {
            verifyTrailer();
            finished = true;
            return false;
        }
        long record = position;
        readFully(recordHeader);
        ByteBuffer fields = ByteBuffer.wrap(recordHeader);
        long nextPageNo = Integer.toUnsignedLong(fields.getInt(0));
        long nextFrameNo = fields.getLong(4);
        int storedCrc = fields.getInt(12);
        checkRecordFields(record, nextPageNo, nextFrameNo);
        readFully(page);
        pageCrc.reset();
        pageCrc.update(page);
        int computed = (int) pageCrc.getValue();
        if (computed != storedCrc) {
            throw new CorruptSegmentException(where, record + 12, "page CRC32C mismatch in page record "
                    + recordsRead + " (page_no " + nextPageNo + "): computed " + ObjectHeader.hex(computed)
                    + ", stored " + ObjectHeader.hex(storedCrc));
        }
        pageNo = (int) nextPageNo;
        frameNo = nextFrameNo;
        recordsRead++;
        return true;
    }

    private void checkRecordFields(long record, long nextPageNo, long nextFrameNo) {
        long previous = recordsRead == 0 ? 0 : pageNo;
        if (nextPageNo <= previous) {
            throw new CorruptSegmentException(where, record, "page records out of order: page_no " + nextPageNo
                    + " in record " + recordsRead + ", expected > " + previous + " (sorted, no duplicates, from 1)");
        }
        if (nextPageNo > header.sizeAfter()) {
            throw new CorruptSegmentException(where, record, "page_no " + nextPageNo + " in record "
                    + recordsRead + " is beyond size_after " + header.sizeAfter());
        }
        if (nextFrameNo < header.startFrameNo() || nextFrameNo > header.endFrameNo()) {
            throw new CorruptSegmentException(where, record + 4,
                    "frame_no " + Long.toUnsignedString(nextFrameNo) + " of page_no " + nextPageNo
                            + " is outside the segment's range " + header.startFrameNo() + ".." + header.endFrameNo());
        }
    }

    private void verifyTrailer() throws IOException {
        long trailer = position;
        byte[] bytes = new byte[CompactedSegment.TRAILER_SIZE];
        int crcOffset = CompactedSegment.TRAILER_SIZE - 4;
        readFully(bytes, crcOffset); // the CRC field itself is not covered by the trailer CRC
        readFully(bytes, crcOffset, 4, false);
        ByteBuffer fields = ByteBuffer.wrap(bytes);
        byte[] magic = Arrays.copyOf(bytes, CompactedSegment.TRAILER_MAGIC.length);
        ObjectHeader.require(Arrays.equals(magic, CompactedSegment.TRAILER_MAGIC), where, trailer,
                "bad " + KIND + " trailer magic: expected " + ObjectHeader.describe(CompactedSegment.TRAILER_MAGIC)
                        + ", actual " + ObjectHeader.describe(magic));
        long count = Integer.toUnsignedLong(fields.getInt(8));
        ObjectHeader.require(count == header.pageCount(), where, trailer + 8, "inconsistent page count: trailer says "
                + count + ", header says " + header.pageCount());
        int stored = fields.getInt(crcOffset);
        int computed = (int) trailerCrc.getValue();
        ObjectHeader.require(stored == computed, where, trailer + crcOffset, KIND + " trailer CRC32C mismatch: "
                + "computed " + ObjectHeader.hex(computed) + ", stored " + ObjectHeader.hex(stored));
        long size = objectSize();
        ObjectHeader.require(in.read() < 0, where, size, "unexpected trailing bytes after the " + KIND
                + " trailer: more than " + size + " bytes, expected " + size);
    }

    private void readFully(byte[] into) throws IOException {
        readFully(into, into.length);
    }

    private void readFully(byte[] into, int length) throws IOException {
        readFully(into, 0, length, true);
    }

    /** Reads exactly {@code length} bytes or reports the object as truncated at the current position. */
    private void readFully(byte[] into, int offset, int length, boolean coveredByTrailerCrc) throws IOException {
        int read = in.readNBytes(into, offset, length);
        position += read;
        if (read < length) {
            throw new CorruptSegmentException(where, position, "truncated " + KIND + ": " + position
                        + " bytes, expected " + objectSize() + " for " + header.pageCount() + " pages of "
                        + header.pageSize() + " bytes");
        }
        if (coveredByTrailerCrc) {
            trailerCrc.update(into, offset, length);
        }
    }

    /**
     * Returns the current page's bytes (position 0, limit the page size): a read-only view of this reader's one
     * page buffer, overwritten by the next call to {@link #next}.
     */
    public ByteBuffer page() {
        return pageView.clear();
    }

    /** Returns the page_no of the current record. */
    public int pageNo() {
        return pageNo;
    }

    /** Returns the frame_no of the current record. */
    public long frameNo() {
        return frameNo;
    }

    /** Returns the number of bytes read from the stream so far (header included). */
    public long bytesRead() {
        return position;
    }

    /** Returns the size in bytes the object must have according to its header. */
    public long objectSize() {
        return CompactedSegment.objectSize(header.pageCount(), header.pageSize());
    }

    /** Returns the segment's id (frame range and sealed_at) from the verified header. */
    public SegmentId id() {
        return header.id();
    }

    /** Returns the database page size in bytes. */
    public int pageSize() {
        return header.pageSize();
    }

    /** Returns the database size in pages after the segment. */
    public int sizeAfter() {
        return header.sizeAfter();
    }

    /** Returns the number of page records the object holds. */
    public int pageCount() {
        return header.pageCount();
    }

    /** Returns where the bytes come from, as given to {@link #open}. */
    public String where() {
        return where;
    }
}
