package dev.fathom.schemas.format;

import java.util.List;
import java.util.Objects;

/**
 * A validated sealed segment: frames {@code [start_frame_no, end_frame_no]} of one namespace, contiguous, ending on
 * a commit frame, all pages of one valid page size. Immutable value (page arrays are shared, see {@link Frame});
 * thread-safe.
 */
public final class SealedSegment {

    private final int pageSize;
    private final long sealedAtMs;
    private final List<Frame> frames;

    private SealedSegment(int pageSize, long sealedAtMs, List<Frame> frames) {
        this.pageSize = pageSize;
        this.sealedAtMs = sealedAtMs;
        this.frames = frames;
    }

    /**
     * Validates and builds a segment.
     *
     * @param pageSize database page size: a power of two in 512..65536
     * @param sealedAtMs time of the last commit, ms since the Unix epoch, 0..{@link SegmentId#MAX_SEALED_AT_MS}
     * @param frames at least one frame; frame_nos contiguous (+1) from >= 1; page_no >= 1; size_after >= 0;
     *     every page exactly {@code pageSize} bytes; the last frame is a commit frame
     * @throws InvalidSegmentException naming the frame_no / index and the rule broken
     */
    public static SealedSegment of(int pageSize, long sealedAtMs, List<Frame> frames) {
        if (!PageSize.isValid(pageSize)) {
            throw invalid("page size " + pageSize + " is not " + PageSize.RULE);
        }
        if (sealedAtMs < 0 || sealedAtMs > SegmentId.MAX_SEALED_AT_MS) {
            throw invalid("sealed_at_ms " + sealedAtMs + " is outside 0.." + SegmentId.MAX_SEALED_AT_MS);
        }
        if (frames == null || frames.isEmpty()) {
            throw invalid("no frames; a segment holds at least one frame");
        }
        for (int i = 0; i < frames.size(); i++) {
            checkFrame(frames.get(i), i, pageSize, i == 0 ? -1 : frames.get(i - 1).frameNo());
        }
        Frame last = frames.get(frames.size() - 1);
        if (!last.isCommit()) {
            throw invalid("last frame_no " + last.frameNo() + " (index " + (frames.size() - 1)
                    + ") is not a commit frame (size_after 0); a segment must end on a commit");
        }
        return new SealedSegment(pageSize, sealedAtMs, List.copyOf(frames));
    }

    private static void checkFrame(Frame frame, int index, int pageSize, long previousFrameNo) {
        if (frame == null) {
            throw invalid("frame at index " + index + " is null");
        }
        String which = "frame_no " + frame.frameNo() + " (index " + index + ")";
        if (index == 0 && frame.frameNo() < 1) {
            throw invalid(which + ": frame numbers start at 1");
        }
        if (index > 0 && frame.frameNo() != previousFrameNo + 1) {
            throw invalid(which + " does not follow frame_no " + previousFrameNo + ": expected frame_no "
                    + (previousFrameNo + 1) + " (frame numbers are contiguous)");
        }
        if (frame.pageNo() < 1) {
            throw invalid(which + " has page_no " + frame.pageNo() + "; page numbers start at 1");
        }
        if (frame.sizeAfter() < 0) {
            throw invalid(which + " has size_after " + frame.sizeAfter() + "; must be >= 0");
        }
        if (frame.page().length != pageSize) {
            throw invalid(which + " has a page of " + frame.page().length + " bytes, expected the page size "
                    + pageSize);
        }
    }

    private static InvalidSegmentException invalid(String rule) {
        return new InvalidSegmentException("Invalid segment: " + rule);
    }

    /** Returns the database page size in bytes. */
    public int pageSize() {
        return pageSize;
    }

    /** Returns the time of the segment's last commit, ms since the Unix epoch (UTC). */
    public long sealedAtMs() {
        return sealedAtMs;
    }

    /** Returns the frames in frame order (unmodifiable). */
    public List<Frame> frames() {
        return frames;
    }

    /** Returns the first frame number. */
    public long startFrameNo() {
        return frames.get(0).frameNo();
    }

    /** Returns the last frame number (a commit frame). */
    public long endFrameNo() {
        return frames.get(frames.size() - 1).frameNo();
    }

    /** Returns the database size in pages after the segment (the last frame's size_after). */
    public int sizeAfter() {
        return frames.get(frames.size() - 1).sizeAfter();
    }

    /** Returns the segment's id (frame range and sealed_at). */
    public SegmentId id() {
        return new SegmentId(startFrameNo(), endFrameNo(), sealedAtMs);
    }

    /** Returns the size of all frames encoded by {@link SegmentFrames#encode(List)}, in bytes. */
    public long frameBytes() {
        return (long) frames.size() * SegmentFrames.recordSize(pageSize);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SealedSegment other
                && pageSize == other.pageSize
                && sealedAtMs == other.sealedAtMs
                && frames.equals(other.frames);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pageSize, sealedAtMs, frames);
    }

    @Override
    public String toString() {
        return "SealedSegment[" + id() + ", pageSize=" + pageSize + ", frames=" + frames.size()
                + ", sizeAfter=" + sizeAfter() + "]";
    }
}
