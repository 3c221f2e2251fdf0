package dev.fathom.producer.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.testkit.GrafanaDashboard;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps deploy/grafana/fathom-agent.json honest, as the worker's {@code GrafanaDashboardTest} does for
 * fathom-worker.json (this one lives here because {@link AgentMetrics} is package-private): valid JSON, every metric
 * its queries reference is one the agent exports, and every agent metric family is on some panel.
 */
class AgentDashboardTest {

    private static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "fathom-agent.json");
    /** Metric names in PromQL; label names and functions never start with these prefixes. */
    private static final Pattern METRIC = Pattern.compile("\\b(?:fathom|jvm|process|system)_[a-zA-Z0-9_]*");
    /** A sample line of the Prometheus text format: its metric name. */
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", Pattern.MULTILINE);

    @Test
    void shouldReferenceOnlyMetricsTheAgentExportsAndShowEveryAgentMetric() throws IOException {
        GrafanaDashboard dashboard = GrafanaDashboard.read(DASHBOARD);
        assertEquals("fathom-agent", dashboard.json().path("uid").asText());
        List<String> queries = dashboard.queries();
        assertFalse(queries.isEmpty(), "the dashboard has queries");
        Set<String> referenced = new TreeSet<>();
        for (String query : queries) {
            Matcher m = METRIC.matcher(query);
            while (m.find()) {
                referenced.add(m.group());
            }
        }

        Set<String> exported = new TreeSet<>();
        try (AgentMetrics metrics = new AgentMetrics(() -> new AgentSample(1, 4096, 1, 5, 5, 3, 0))) {
            Matcher m = SAMPLE.matcher(metrics.scrape());
            while (m.find()) {
                exported.add(m.group(1));
            }
        }
        Set<String> unknown = new TreeSet<>(referenced);
        unknown.removeAll(exported);
        assertEquals(Set.of(), unknown, "metrics the dashboard queries but the agent does not export");

        List<String> unshown = exported.stream().filter(name -> name.startsWith("fathom_agent_"))
                .filter(name -> !referenced.contains(name)).toList();
        assertEquals(List.of(), unshown, "agent metrics no panel shows");
        assertTrue(referenced.stream().anyMatch(name -> name.startsWith("jvm_")), "the JVM row: " + referenced);
    }
}
