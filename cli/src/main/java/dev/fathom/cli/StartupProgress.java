package dev.fathom.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Prints one progress line per startup step, {@code Starting Kafka broker... ready in 1.2 s}, so a slow start shows
 * where it waits. Durations come from {@link System#nanoTime()}: elapsed time, not a domain time. Not thread-safe; owned
 * by the thread that starts the stack.
 */
public final class StartupProgress {

    private final PrintWriter out;

    public StartupProgress(PrintWriter out) {
        this.out = out;
    }

    /** A progress printer that prints nothing (tests, embedding). */
    public static StartupProgress silent() {
        return new StartupProgress(new PrintWriter(Writer.nullWriter()));
    }

    /** Prints {@code "Starting <what>... "}, runs {@code step}, then {@code "ready in N s"} (or {@code "failed"}). */
    public <T> T step(String what, Supplier<T> step) {
        out.print("Starting " + what + "... ");
        return run(step, "");
    }

    /**
     * For a step that logs as it goes (the worker): prints {@code "Starting <what>..."} on a line of its own, so the
     * log lines do not split it, and ends with {@code "<What> ready in N s"}.
     */
    public <T> T loggingStep(String what, Supplier<T> step) {
        out.println("Starting " + what + "...");
        return run(step, what.substring(0, 1).toUpperCase(Locale.ROOT) + what.substring(1) + " ");
    }

    private <T> T run(Supplier<T> step, String subject) {
        out.flush();
        long t0 = System.nanoTime();
        try {
            T result = step.get();
            out.println(String.format(Locale.ROOT, "%sready in %.1f s", subject, (System.nanoTime() - t0) / 1e9));
            return result;
        } catch (RuntimeException | Error e) {
            out.println(subject + "failed");
            throw e;
        } finally {
            out.flush();
        }
    }

    /** Prints a line of its own (a note about a choice the user should know of). */
    public void note(String line) {
        out.println(line);
        out.flush();
    }
}
