package dev.fathom.producer.restore;

/**
 * Which segment owns each page of a restore's target state, filled in by {@link RestorePlanner} while the segment
 * copies already read it. An owner entry is written once, from 0 to the owner number of the newest segment holding
 * the page (at or below every later truncation), by the planning thread only.
 *
 * <p>Why copies may read it without a lock while planning still writes: a copy of segment S only asks for pages
 * that S holds, and only acts on the answer "S". Every entry that can say "S" was written while S's index was
 * assigned, before S's copy was submitted to its executor, so the submission orders those writes before the copy's
 * reads (happens-before of {@code Executor.execute}). Entries the planner writes later are for older segments
 * (owner numbers are unique per segment and decrease as planning goes on), so a copy may see either 0 or the older
 * owner there (an {@code int} is never torn), and both mean "not S": the copy behaves the same either way.
 */
final class PageOwners {

    private final int pageSize;
    private final int[] owners;

    /** Owners of pages 1..{@code sizeAfter} of {@code pageSize} bytes, none assigned yet. */
    PageOwners(int pageSize, int sizeAfter) {
        this.pageSize = pageSize;
        this.owners = new int[sizeAfter + 1];
    }

    /** Returns the owner number of page {@code pageNo}, or 0 when it has none (yet) or is beyond the target. */
    int owner(int pageNo) {
        return pageNo >= 1 && pageNo < owners.length ? owners[pageNo] : 0;
    }

    /** Gives {@code pageNo} to {@code owner} unless a newer segment already owns it; returns whether it did. */
    boolean claim(int pageNo, int owner) {
        if (owners[pageNo] != 0) {
            return false;
        }
        owners[pageNo] = owner;
        return true;
    }

    /** Returns the first page number without an owner, or 0 when every page has one. */
    int firstUnowned() {
        for (int pageNo = 1; pageNo < owners.length; pageNo++) {
            if (owners[pageNo] == 0) {
                return pageNo;
            }
        }
        return 0;
    }

    int pageSize() {
        return pageSize;
    }

    /** Returns the target's database size in pages. */
    int sizeAfter() {
        return owners.length - 1;
    }
}
