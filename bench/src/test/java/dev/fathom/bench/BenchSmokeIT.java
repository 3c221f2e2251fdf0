package dev.fathom.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every bench measurement for a second at tiny sizes so the harness cannot rot. */
class BenchSmokeIT {

    private static final List<String> FIGURES = List.of("raw_kafka_produce_mib_s", "raw_kafka_consume_mib_s",
            "raw_s3_put_mib_s", "raw_s3_get_mib_s", "ingest_1ns_mib_s", "ingest_100ns_mib_s", "lag_rate_mib_s",
            "lag_p50_ms", "lag_p95_ms", "lag_p99_ms", "wal_bytes", "s3_puts_per_gib_wal", "compaction_ratio",
            "restore_mib_s", "idle_namespaces", "heap_per_idle_namespace_bytes", "ingest_ratio", "restore_ratio",
            "segment_mib", "raw_kafka_cpu_ms_per_mib", "raw_s3_put_cpu_ms_per_mib", "raw_s3_get_cpu_ms_per_mib",
            "ingest_1ns_cpu_ms_per_mib", "ingest_100ns_cpu_ms_per_mib", "ingest_1ns_jit_ms_per_mib",
            "ingest_100ns_jit_ms_per_mib", "restore_cpu_ms_per_mib", "ingest_cpu_bound_mib_s");

    @Test
    void everyFigureIsMeasuredAndWrittenToTheJsonFile(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("result.json");
        Map<String, Object> figures = BenchMain.run(
                new BenchOptions(Duration.ofSeconds(1), Duration.ofMillis(500), 1, 1, false, 200, out,
                        dir.resolve("data"), null));

        String json = Files.readString(out);
        for (String figure : FIGURES) {
            double value = ((Number) figures.get(figure)).doubleValue();
            // A heap difference over 200 namespaces is within GC noise and may come out negative; it must exist.
            // The JIT may have nothing left to compile in a phase.
            assertTrue(figure.startsWith("heap_") ? Double.isFinite(value)
                    : figure.contains("_jit_") ? value >= 0 : value > 0, figure + " = " + value);
            assertTrue(json.contains("\"" + figure + "\": "), figure + " missing from " + json);
        }
        assertEquals(FIGURES.size(), figures.size(), "figures: " + figures.keySet());
        String table = BenchReport.table(figures);
        for (String figure : FIGURES) {
            if (!figure.endsWith("_ratio") && !figure.equals("wal_bytes") && !figure.equals("idle_namespaces")) {
                assertTrue(table.contains(figure + " "), figure + " missing from the table:\n" + table);
            }
        }
    }
}
