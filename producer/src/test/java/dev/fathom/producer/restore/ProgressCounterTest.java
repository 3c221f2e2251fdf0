package dev.fathom.producer.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress is only reported once the plan's totals are known, then as bytes arrive and per finished segment. */
class ProgressCounterTest {

    private static final long MIB = ProgressCounter.REPORT_EVERY_BYTES;

    private final List<RestoreProgress> seen = new ArrayList<>();
    private final ProgressCounter counter = new ProgressCounter(seen::add);

    @Test
    void shouldReportNothingBeforeTheTotalsAreKnownThenWhatWasAlreadyRead() {
        counter.addBytes(3 * MIB);
        counter.segmentDone();
        assertEquals(List.of(), seen, "a partial total could look complete");

        counter.planned(4, 10 * MIB);
        assertEquals(List.of(new RestoreProgress(1, 4, 3 * MIB, 10 * MIB)), seen);
    }

    @Test
    void shouldReportEveryMibibyteAndEveryFinishedSegmentOncePlanned() {
        counter.planned(2, 3 * MIB);
        counter.addBytes(MIB - 1);
        counter.addBytes(1);
        counter.addBytes(MIB / 2);
        counter.segmentDone();
        counter.addBytes(3 * MIB / 2);
        counter.segmentDone();
        assertEquals(List.of(new RestoreProgress(0, 2, 0, 3 * MIB), new RestoreProgress(0, 2, MIB, 3 * MIB),
                new RestoreProgress(1, 2, 3 * MIB / 2, 3 * MIB), new RestoreProgress(1, 2, 3 * MIB, 3 * MIB),
                new RestoreProgress(2, 2, 3 * MIB, 3 * MIB)), seen);
    }
}
