package dev.fathom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.producer.restore.RestoreProgress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The restore progress text: a bar redrawn in place on a terminal, a line every few seconds elsewhere. */
class RestoreProgressBarTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void shouldRenderSegmentsBytesPercentAndRate() {
        RestoreProgress p = new RestoreProgress(3, 10, 10 * MIB, 40 * MIB);
        assertEquals("[#######.......................]  3/10 segments  10.0/40.0 MiB (25%)  5.0 MiB/s",
                RestoreProgressBar.bar(p, Duration.ofSeconds(2)));
        assertEquals("0/4 segments  0.0/2.0 MiB (0%)  - MiB/s",
                RestoreProgressBar.status(new RestoreProgress(0, 4, 0, 2 * MIB), Duration.ZERO));
        assertEquals("[##############################]  0/0 segments  0.0/0.0 MiB (100%)  0.0 MiB/s",
                RestoreProgressBar.bar(new RestoreProgress(0, 0, 0, 0), Duration.ofSeconds(1)));
    }

    @Test
    void shouldRedrawInPlaceOnATerminalAndEndTheLineAtFinish() {
        TestClock clock = new TestClock();
        StringWriter text = new StringWriter();
        RestoreProgressBar bar = new RestoreProgressBar(new PrintWriter(text), true, clock, Duration.ofSeconds(5));
        bar.accept(new RestoreProgress(0, 2, 0, 2 * MIB));
        clock.advance(Duration.ofMillis(50));
        bar.accept(new RestoreProgress(1, 2, MIB, 2 * MIB)); // too soon after the last redraw: skipped
        clock.advance(Duration.ofMillis(950));
        bar.accept(new RestoreProgress(2, 2, 2 * MIB, 2 * MIB));
        bar.finish();
        assertEquals("\r[..............................]  0/2 segments  0.0/2.0 MiB (0%)  - MiB/s"
                + "\r[##############################]  2/2 segments  2.0/2.0 MiB (100%)  2.0 MiB/s"
                + System.lineSeparator(), text.toString());
    }

    @Test
    void shouldPrintALineEveryIntervalAndTheFinalStateWhenNotATerminal() {
        TestClock clock = new TestClock();
        StringWriter text = new StringWriter();
        RestoreProgressBar bar = new RestoreProgressBar(new PrintWriter(text), false, clock, Duration.ofSeconds(5));
        for (int i = 1; i <= 12; i++) { // one report per second, 12 MiB in 12 s
            clock.advance(Duration.ofSeconds(1));
            bar.accept(new RestoreProgress(i / 4, 3, i * MIB, 12 * MIB));
        }
        bar.accept(new RestoreProgress(3, 3, 12 * MIB, 12 * MIB)); // repeated final report: shown once
        bar.finish();
        List<String> lines = text.toString().lines().toList();
        assertEquals(List.of(
                "restore: 1/3 segments  5.0/12.0 MiB (41%)  1.0 MiB/s",
                "restore: 2/3 segments  10.0/12.0 MiB (83%)  1.0 MiB/s",
                "restore: 3/3 segments  12.0/12.0 MiB (100%)  1.0 MiB/s"), lines);
        assertTrue(text.toString().indexOf('\r') < 0, "no carriage returns in a log");
    }

    /** A clock the test moves. */
    private static final class TestClock implements InstantSource {
        private Instant now = Instant.parse("2026-11-25T22:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
