package dev.fathom.schemas.format;

import java.util.Arrays;
import java.util.Objects;

/**
 * One page image written by a transaction: {@code (page_no, size_after, frame_no, page bytes)}.
 *
 * <p>Immutable by convention: the page array is shared, not copied (segments hold gigabytes of pages), so nobody
 * may modify it after building the frame. Equality compares the page contents. Thread-safe once built.
 *
 * @param pageNo page number, from 1
 * @param sizeAfter database size in pages after this frame's commit, or 0 when this frame does not commit
 * @param frameNo the namespace's frame number, from 1, +1 per frame
 * @param page the page bytes (exactly the database page size)
 */
public record Frame(int pageNo, int sizeAfter, long frameNo, byte[] page) {

    public Frame {
        Objects.requireNonNull(page, "page");
    }

    /** Returns true when this frame ends a transaction (size_after != 0). */
    public boolean isCommit() {
        return sizeAfter != 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame other
                && pageNo == other.pageNo
                && sizeAfter == other.sizeAfter
                && frameNo == other.frameNo
                && Arrays.equals(page, other.page);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pageNo, sizeAfter, frameNo, Arrays.hashCode(page));
    }

    @Override
    public String toString() {
        return "Frame[frameNo=" + frameNo + ", pageNo=" + pageNo + ", sizeAfter=" + sizeAfter
                + ", page=" + page.length + " bytes]";
    }
}
