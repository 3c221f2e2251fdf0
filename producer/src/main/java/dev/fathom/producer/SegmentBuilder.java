package dev.fathom.producer;

import dev.fathom.schemas.format.Frame;
import dev.fathom.schemas.format.SealedSegment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Collects the frames of one namespace, numbering them from a start frame number, and seals them into a
 * {@link SealedSegment}. After {@link #seal} it starts the next segment at the sealed end + 1, so one builder
 * produces a contiguous chain of segments. Not thread-safe; owned by the thread that writes the namespace's frames.
 */
public final class SegmentBuilder {

    private final int pageSize;
    private final List<Frame> frames = new ArrayList<>();
    private long nextFrameNo;

    /** Starts a namespace's first segment at frame number 1. */
    public SegmentBuilder(int pageSize) {
        this(pageSize, 1);
    }

    /**
     * Starts a segment at {@code startFrameNo}, typically the namespace's durable frame number + 1.
     *
     * @throws IllegalArgumentException when the page size is not a power of two in 512..65536 or the start is below 1
     */
    public SegmentBuilder(int pageSize, long startFrameNo) {
        if (pageSize < 512 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("Page size " + pageSize + " is not a power of two in 512..65536");
        }
        if (startFrameNo < 1) {
            throw new IllegalArgumentException("Start frame_no " + startFrameNo + " must be >= 1");
        }
        this.pageSize = pageSize;
        this.nextFrameNo = startFrameNo;
    }

    /**
     * Appends a frame with the next frame number. The page is copied, so the caller may reuse its buffer.
     *
     * @param pageNo page number, from 1
     * @param sizeAfter database size in pages after this frame's commit, or 0 when the frame does not commit
     * @param page exactly the page size in bytes
     * @return this builder
     * @throws IllegalArgumentException naming the frame number when the page number, size or page length is wrong
     */
    public SegmentBuilder addFrame(int pageNo, int sizeAfter, byte[] page) {
        Objects.requireNonNull(page, "page");
        long frameNo = nextFrameNo + frames.size();
        if (pageNo < 1) {
            throw new IllegalArgumentException("Frame " + frameNo + " has page_no " + pageNo + "; pages start at 1");
        }
        if (sizeAfter < 0) {
            throw new IllegalArgumentException("Frame " + frameNo + " has size_after " + sizeAfter + "; must be >= 0");
        }
        if (page.length != pageSize) {
            throw new IllegalArgumentException("Frame " + frameNo + " has a page of " + page.length
                    + " bytes, expected the page size " + pageSize);
        }
        frames.add(new Frame(pageNo, sizeAfter, frameNo, page.clone()));
        return this;
    }

    /**
     * Seals the frames added since the last seal into a segment and starts the next one at its end + 1.
     *
     * @param sealedAt time of the segment's last commit
     * @throws dev.fathom.schemas.format.InvalidSegmentException when there are no frames or the last frame does not
     *     commit; the builder keeps its frames then, so more can be added
     */
    public SealedSegment seal(Instant sealedAt) {
        Objects.requireNonNull(sealedAt, "sealedAt");
        SealedSegment segment = SealedSegment.of(pageSize, sealedAt.toEpochMilli(), frames);
        nextFrameNo = segment.endFrameNo() + 1;
        frames.clear();
        return segment;
    }

    /** Returns the frame number the next added frame gets. */
    public long nextFrameNo() {
        return nextFrameNo + frames.size();
    }

    /** Returns how many frames were added since the last seal. */
    public int frameCount() {
        return frames.size();
    }

    /** Returns the page size in bytes. */
    public int pageSize() {
        return pageSize;
    }
}
