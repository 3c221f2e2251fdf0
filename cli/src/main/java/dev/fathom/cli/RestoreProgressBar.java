package dev.fathom.cli;

import dev.fathom.producer.restore.RestoreProgress;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Shows a restore's progress on stderr: on a terminal a bar redrawn in place (segments done/total, MiB done/total,
 * rate), elsewhere (a log file, CI) one line every few seconds, plus the final state. Thread-safe (reports may come
 * from the restorer's fetch threads); {@link #finish} ends the bar's line.
 */
final class RestoreProgressBar implements Consumer<RestoreProgress> {

    private static final int WIDTH = 30;
    private static final double MIB = 1024.0 * 1024.0;
    /** Redrawing faster than the eye reads only costs terminal output. */
    private static final Duration REDRAW = Duration.ofMillis(200);

    private final PrintWriter err;
    private final boolean terminal;
    private final InstantSource clock;
    private final Duration lineInterval;
    private final Instant start;
    private Instant shownAt;
    private boolean drawn;
    private boolean completeShown;

    /**
     * @param terminal     whether {@code err} is a terminal (bar redrawn with carriage returns) or not (lines)
     * @param lineInterval time between lines when not a terminal
     */
    RestoreProgressBar(PrintWriter err, boolean terminal, InstantSource clock, Duration lineInterval) {
        this.err = err;
        this.terminal = terminal;
        this.clock = clock;
        this.lineInterval = lineInterval;
        this.start = clock.instant();
    }

    /**
     * A bar on the process's stderr: redrawn in place when the JVM has a console and TERM is not "dumb" (Java 17
     * cannot ask whether stderr alone is a terminal), else a line every 5 s.
     */
    static RestoreProgressBar forStderr(PrintWriter err) {
        boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
        return new RestoreProgressBar(err, terminal, InstantSource.system(), Duration.ofSeconds(5));
    }

    @Override
    public synchronized void accept(RestoreProgress progress) {
        if (completeShown) {
            return;
        }
        Instant now = clock.instant();
        boolean complete = progress.isComplete();
        Duration every = terminal ? REDRAW : lineInterval;
        Instant due = shownAt == null ? (terminal ? start : start.plus(lineInterval)) : shownAt.plus(every);
        if (!complete && now.isBefore(due)) {
            return;
        }
        shownAt = now;
        completeShown = complete;
        Duration elapsed = Duration.between(start, now);
        if (terminal) {
            err.print("\r" + bar(progress, elapsed));
            drawn = true;
        } else {
            err.println("restore: " + status(progress, elapsed));
        }
        err.flush();
    }

    /** Ends the bar's line so what follows starts on its own line; nothing to do for lines. */
    synchronized void finish() {
        if (drawn) {
            err.println();
            err.flush();
            drawn = false;
        }
    }

    /** {@code [#########.....]  3/10 segments  12.5/40.0 MiB  8.3 MiB/s}. */
    static String bar(RestoreProgress p, Duration elapsed) {
        int filled = (int) Math.floor(p.fraction() * WIDTH);
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "]  " + status(p, elapsed);
    }

    /** {@code 3/10 segments  12.5/40.0 MiB (31%)  8.3 MiB/s}. */
    static String status(RestoreProgress p, Duration elapsed) {
        return String.format(Locale.ROOT, "%d/%d segments  %.1f/%.1f MiB (%d%%)  %s", p.segmentsDone(),
                p.segmentsTotal(), p.bytesDone() / MIB, p.bytesTotal() / MIB, (int) Math.floor(p.fraction() * 100),
                rate(p.bytesDone(), elapsed));
    }

    /** {@code 8.3 MiB/s}, or {@code - MiB/s} before any time has passed. */
    static String rate(long bytes, Duration elapsed) {
        if (elapsed.isZero() || elapsed.isNegative()) {
            return "- MiB/s";
        }
        return String.format(Locale.ROOT, "%.1f MiB/s", bytes / MIB / (elapsed.toNanos() / 1e9));
    }
}
