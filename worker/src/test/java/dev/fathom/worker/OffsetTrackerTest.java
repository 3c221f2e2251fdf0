package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    @Test
    void shouldHaveNothingToCommitBeforeAnyRecordIsConsumed() {
        OffsetTracker tracker = new OffsetTracker();

        assertTrue(tracker.committable().isEmpty());
        assertTrue(tracker.uncommitted().isEmpty());
    }

    @Test
    void shouldNotPassTheLowestUnfinishedRecord() {
        OffsetTracker tracker = new OffsetTracker();
        for (long offset = 10; offset <= 14; offset++) {
            tracker.consumed(offset);
        }
        tracker.finished(List.of(10L, 12L, 13L));

        assertEquals(11, tracker.committable().getAsLong());
    }

    @Test
    void shouldCommitPastTheLastConsumedRecordWhenAllAreFinished() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.consumed(5);
        tracker.consumed(7); // 6 was a transaction marker, never returned by poll
        tracker.finished(List.of(7L));
        assertEquals(5, tracker.committable().getAsLong());

        tracker.finished(List.of(5L));
        assertEquals(8, tracker.committable().getAsLong());
    }

    @Test
    void shouldReportProgressOnlyWhenTheOffsetMovedPastTheLastCommit() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.consumed(0);
        tracker.consumed(1);
        tracker.finished(List.of(0L));
        assertEquals(1, tracker.uncommitted().getAsLong());

        tracker.committed(1);
        assertTrue(tracker.uncommitted().isEmpty());

        tracker.finished(List.of(1L));
        assertEquals(2, tracker.uncommitted().getAsLong());
        assertEquals(0, tracker.pendingCount());
    }

    @Test
    void shouldKeepOffsetsOfAnInterleavedSlowSegmentPending() {
        OffsetTracker tracker = new OffsetTracker();
        // segment A: offsets 0 and 3; segment B: offsets 1 and 2, finished first
        List.of(0L, 1L, 2L, 3L).forEach(tracker::consumed);
        tracker.finished(List.of(1L, 2L));
        assertEquals(0, tracker.committable().getAsLong());

        tracker.finished(List.of(0L, 3L));
        assertEquals(4, tracker.committable().getAsLong());
    }
}
