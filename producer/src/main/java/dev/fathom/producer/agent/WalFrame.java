package dev.fathom.producer.agent;

import java.util.Arrays;
import java.util.Objects;

/**
 * One valid frame of a SQLite WAL: a page image written by a transaction. Immutable by convention (the page array is
 * not copied; nobody may modify it); thread-safe once built.
 *
 * @param index 0-based position of the frame within its WAL generation (the WAL since its last restart)
 * @param pageNo page number, from 1
 * @param commitSize database size in pages after the commit this frame ends, or 0 when it is not a commit frame
 * @param page the page bytes, exactly the WAL's page size
 */
public record WalFrame(long index, int pageNo, int commitSize, byte[] page) {

    /** Size in bytes of a frame header. */
    public static final int HEADER_SIZE = 24;

    public WalFrame {
        Objects.requireNonNull(page, "page");
    }

    /** Returns true when this frame commits a transaction (commitSize != 0). */
    public boolean isCommit() {
        return commitSize != 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WalFrame other && index == other.index && pageNo == other.pageNo
                && commitSize == other.commitSize && Arrays.equals(page, other.page);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, pageNo, commitSize, Arrays.hashCode(page));
    }

    @Override
    public String toString() {
        return "WalFrame[index=" + index + ", pageNo=" + pageNo + ", commitSize=" + commitSize + ", page="
                + page.length + " bytes]";
    }
}
