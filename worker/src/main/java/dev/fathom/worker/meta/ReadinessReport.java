package dev.fathom.worker.meta;

import java.util.List;

/**
 * The answer of {@code GET /ready}: every check with its outcome; the worker is ready only when all passed.
 * Immutable and thread-safe.
 *
 * @param checks the checks in a fixed order (consumer, streams, then one per storage profile)
 */
public record ReadinessReport(List<Check> checks) {

    public ReadinessReport {
        checks = List.copyOf(checks);
    }

    /**
     * One readiness check.
     *
     * @param name   stable name: {@code consumer}, {@code streams} or {@code storage.<profile>}
     * @param ok     whether it passed
     * @param detail a sentence saying what was seen (why it failed, when it did)
     */
    public record Check(String name, boolean ok, String detail) {
    }

    /** Whether every check passed. */
    public boolean ready() {
        return checks.stream().allMatch(Check::ok);
    }

    /** Names of the checks that failed, in order. */
    public List<String> failed() {
        return checks.stream().filter(c -> !c.ok()).map(Check::name).toList();
    }
}
