package dev.fathom.faults;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The summary table of a run (Markdown, so docs/RELIABILITY.md can quote it as printed). Not thread-safe; built once
 * on the test thread.
 */
final class FaultSummary {

    private final Map<String, String> rows = new LinkedHashMap<>();

    FaultSummary row(String what, Object value) {
        rows.put(what, String.valueOf(value));
        return this;
    }

    FaultSummary latencies(List<Long> sortedMs) {
        if (sortedMs.isEmpty()) {
            return row("store → durable callback p50 / p99 / max", "n/a");
        }
        return row("store → durable callback p50 / p99 / max", percentile(sortedMs, 50) + " / "
                + percentile(sortedMs, 99) + " / " + sortedMs.get(sortedMs.size() - 1) + " ms");
    }

    static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }

    static String seconds(List<Duration> ds) {
        return ds.isEmpty() ? "-" : ds.stream().map(FaultSummary::seconds).collect(Collectors.joining(", "));
    }

    private static long percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    String toMarkdown() {
        StringBuilder out = new StringBuilder("| measure | value |\n| --- | --- |\n");
        rows.forEach((k, v) -> out.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        return out.toString();
    }
}
