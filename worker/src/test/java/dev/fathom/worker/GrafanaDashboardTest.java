package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.testkit.Await;
import dev.fathom.testkit.GrafanaDashboard;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps deploy/grafana/fathom-worker.json from rotting: it must be valid JSON, every metric its queries reference must
 * be one the worker exports, and every worker metric family must appear on some panel.
 */
class GrafanaDashboardTest {

    private static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "fathom-worker.json");
    /** Metric names in PromQL; label names and functions never start with these prefixes. */
    private static final Pattern METRIC = Pattern.compile("\\b(?:fathom|jvm|process|system)_[a-zA-Z0-9_]*");

    @Test
    void shouldReferenceOnlyMetricsTheWorkerExports() throws IOException {
        List<String> queries = GrafanaDashboard.read(DASHBOARD).queries();
        assertFalse(queries.isEmpty(), "the dashboard has queries");
        Set<String> referenced = new TreeSet<>();
        for (String query : queries) {
            Matcher m = METRIC.matcher(query);
            while (m.find()) {
                referenced.add(m.group());
            }
        }
        assertTrue(referenced.size() >= 15, () -> "the dashboard covers the worker: " + referenced);

        try (WorkerMetrics metrics = WorkerMetricsTest.exercised()) {
            System.gc(); // GC pause timers exist once a collection was reported
            PrometheusText text = Await.value(Duration.ofSeconds(20), () -> PrometheusText.parse(metrics.scrape()),
                    t -> t.sampleNames().contains("jvm_gc_pause_seconds_sum"), "a GC pause to be recorded");
            Set<String> unknown = new TreeSet<>(referenced);
            unknown.removeAll(text.sampleNames());
            assertEquals(Set.of(), unknown, "metrics the dashboard queries but the worker does not export");

            List<String> unshown = new ArrayList<>();
            text.families().keySet().stream().filter(f -> f.startsWith("fathom_worker_"))
                    .filter(f -> referenced.stream().noneMatch(r -> r.startsWith(f))).forEach(unshown::add);
            unshown.removeIf(f -> f.endsWith("_max") && !unshown.contains(f.substring(0, f.length() - 4)));
            assertEquals(List.of(), unshown, "worker metrics no panel shows");
        }
    }
}
