package dev.fathom.schemas.format;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes the frames payload carried in {@code SegmentChunk.frames}: a concatenation of whole frame
 * records, each {@code u32 page_no, u32 size_after, u64 frame_no, page bytes} big-endian (docs/FORMATS.md).
 * Stateless and thread-safe.
 */
public final class SegmentFrames {

    /** Bytes before the page bytes in each record: page_no, size_after, frame_no. */
    static final int RECORD_HEADER_SIZE = 16;

    private SegmentFrames() {
    }

    /** Returns the encoded size of one frame record: 16 + pageSize. */
    public static int recordSize(int pageSize) {
        return RECORD_HEADER_SIZE + pageSize;
    }

    /**
     * Encodes frames in the given order (a producer encodes each chunk's sub-list of whole frames).
     *
     * @throws IllegalArgumentException when pages differ in length or the result would exceed 2 GiB
     */
    public static byte[] encode(List<Frame> frames) {
        if (frames.isEmpty()) {
            return new byte[0];
        }
        int pageSize = frames.get(0).page().length;
        long total = (long) frames.size() * recordSize(pageSize);
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("Cannot encode " + frames.size() + " frames of " + pageSize
                    + "-byte pages into one array (" + total + " bytes); encode them in chunks");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total);
        for (Frame frame : frames) {
            if (frame.page().length != pageSize) {
                throw new IllegalArgumentException("Cannot encode frame_no " + frame.frameNo() + ": its page has "
                        + frame.page().length + " bytes, the first frame's has " + pageSize);
            }
            out.putInt(frame.pageNo()).putInt(frame.sizeAfter()).putLong(frame.frameNo()).put(frame.page());
        }
        return out.array();
    }

    /**
     * Decodes the frame records between the buffer's position and limit, without moving its position. Values are
     * returned as read; {@link SealedSegment#of} validates them.
     *
     * @param frames the payload (one chunk's frames, or all chunks concatenated)
     * @param pageSize the page size announced with the payload
     * @param where where the bytes came from, for messages (e.g. "namespace db1 segment &lt;id&gt; chunk 2")
     * @throws InvalidSegmentException when pageSize is not a power of two in 512..65536
     * @throws CorruptSegmentException when the payload does not hold a whole number of records
     */
    public static List<Frame> decode(ByteBuffer frames, int pageSize, String where) {
        return decode(List.of(frames), pageSize, where);
    }

    /**
     * Decodes the frame records of several payloads read one after the other (a segment's chunks in chunk order)
     * without first joining them: a record may start in one payload and end in the next. No payload's position
     * moves. Same checks and messages as {@link #decode(ByteBuffer, int, String)}, offsets counted over the
     * concatenation.
     */
    public static List<Frame> decode(List<ByteBuffer> payloads, int pageSize, String where) {
        if (!PageSize.isValid(pageSize)) {
            throw new InvalidSegmentException("Invalid segment: page size " + pageSize + " is not " + PageSize.RULE
                    + " (" + where + ")");
        }
        long total = 0;
        for (ByteBuffer payload : payloads) {
            total += payload.remaining();
        }
        int recordSize = recordSize(pageSize);
        long remainder = total % recordSize;
        if (remainder != 0) {
            long lastStart = total - remainder;
            throw new CorruptSegmentException(where, lastStart, "truncated frame record: " + remainder
                    + " bytes remain, expected a whole record of " + recordSize + " bytes (16 + page size "
                    + pageSize + ")");
        }
        List<Frame> out = new ArrayList<>(Math.toIntExact(total / recordSize));
        ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER_SIZE);
        int next = 0;
        ByteBuffer in = ByteBuffer.allocate(0);
        for (long record = 0; record < total / recordSize; record++) {
            header.clear();
            while (header.hasRemaining()) {
                while (!in.hasRemaining()) {
                    in = payloads.get(next++).slice();
                }
                copy(in, header);
            }
            header.flip();
            byte[] page = new byte[pageSize];
            ByteBuffer pageBuffer = ByteBuffer.wrap(page);
            while (pageBuffer.hasRemaining()) {
                while (!in.hasRemaining()) {
                    in = payloads.get(next++).slice();
                }
                copy(in, pageBuffer);
            }
            out.add(new Frame(header.getInt(), header.getInt(), header.getLong(), page));
        }
        return out;
    }

    /** Copies as much of {@code from} as fits into {@code to}. */
    private static void copy(ByteBuffer from, ByteBuffer to) {
        int n = Math.min(from.remaining(), to.remaining());
        to.put(to.position(), from, from.position(), n);
        to.position(to.position() + n);
        from.position(from.position() + n);
    }
}
