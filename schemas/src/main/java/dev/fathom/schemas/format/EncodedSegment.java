package dev.fathom.schemas.format;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A sealed segment in its wire encoding: the frame records of {@link SegmentFrames} (docs/FORMATS.md section 2) plus
 * the fields every chunk repeats. It lets a producer chunk a segment it stored on disk without decoding its pages
 * into {@link Frame} objects and encoding them again: {@link #verify} checks the same rules as
 * {@link SealedSegment#of} by reading only the 16-byte record headers. Immutable value as long as nobody writes to the
 * buffer, which is shared, not copied (heap-backed, so Avro and CRC code read it in place); {@link #frames()} returns
 * a fresh view. Thread-safe.
 *
 * @param id the frame range and sealed_at
 * @param pageSize the page size in bytes
 * @param sizeAfter the database size in pages after the segment (its last frame's size_after)
 * @param payload the frame records, exactly {@code (end - start + 1) × (16 + pageSize)} bytes
 */
public record EncodedSegment(SegmentId id, int pageSize, int sizeAfter, ByteBuffer payload) {

    public EncodedSegment {
        Objects.requireNonNull(id, "id");
        payload = payload.slice();
    }

    /** Encodes a validated segment (one copy of its pages). */
    public static EncodedSegment of(SealedSegment segment) {
        return new EncodedSegment(segment.id(), segment.pageSize(), segment.sizeAfter(),
                ByteBuffer.wrap(SegmentFrames.encode(segment.frames())));
    }

    /**
     * Checks the frame records between {@code frames}' position and limit against the segment rules of
     * {@link SealedSegment#of} (whole records, at least one frame, frame numbers contiguous from 1 or more,
     * page_no of 1 or more, size_after of 0 or more, the last frame a commit) by reading only the record headers.
     *
     * @throws InvalidSegmentException naming the rule broken and the payload offset of the offending record
     */
    public static EncodedSegment verify(int pageSize, long sealedAtMs, ByteBuffer frames) {
        if (!PageSize.isValid(pageSize)) {
            throw invalid("page size " + pageSize + " is not " + PageSize.RULE);
        }
        ByteBuffer in = frames.slice();
        int recordSize = SegmentFrames.recordSize(pageSize);
        int records = in.remaining() / recordSize;
        if (records == 0 || in.remaining() % recordSize != 0) {
            throw invalid("frames hold " + in.remaining() + " bytes, expected a whole number (at least 1) of "
                    + recordSize + "-byte records");
        }
        long start = in.getLong(8);
        if (start < 1) {
            throw invalid("first frame_no " + start + " is below 1 (payload offset 8)");
        }
        int sizeAfter = 0;
        for (int i = 0; i < records; i++) {
            int at = i * recordSize;
            int pageNo = in.getInt(at);
            sizeAfter = in.getInt(at + 4);
            long frameNo = in.getLong(at + 8);
            if (frameNo != start + i) {
                throw invalid("frame_no " + frameNo + " of record " + i + " (payload offset " + at + ") does not"
                        + " follow frame_no " + (start + i - 1) + " (frame numbers are contiguous)");
            }
            if (pageNo < 1 || sizeAfter < 0) {
                throw invalid("frame_no " + frameNo + " (payload offset " + at + ") has page_no " + pageNo
                        + " and size_after " + sizeAfter + "; expected page_no >= 1 and size_after >= 0");
            }
        }
        if (sizeAfter == 0) {
            throw invalid("last frame_no " + (start + records - 1) + " is not a commit frame (size_after 0); a"
                    + " segment must end on a commit");
        }
        if (sealedAtMs < 0 || sealedAtMs > SegmentId.MAX_SEALED_AT_MS) {
            throw invalid("sealed_at_ms " + sealedAtMs + " is outside 0.." + SegmentId.MAX_SEALED_AT_MS);
        }
        return new EncodedSegment(new SegmentId(start, start + records - 1, sealedAtMs), pageSize, sizeAfter, in);
    }

    private static InvalidSegmentException invalid(String rule) {
        return new InvalidSegmentException("Invalid segment: " + rule);
    }

    /** Returns a view of the frame records, positioned at 0 (do not write to it). */
    public ByteBuffer frames() {
        return payload.duplicate();
    }

    /** Returns the size of the frame records in bytes. */
    public int frameBytes() {
        return payload.remaining();
    }
}
