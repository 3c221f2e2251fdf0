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
            "restore_mib_s", "idle_namespaces", "heap_per_idle_namespace_bytes", "ingest_ratio", "restore_ratio");

    @Test
    void everyFigureIsMeasuredAndWrittenToTheJsonFile(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("result.json");
        Map<String, Object> figures = BenchMain.run(
                new BenchOptions(Duration.ofSeconds(1), 1, false, 200, out, dir.resolve("data")));

        String json = Files.readString(out);
        for (String figure : FIGURES) {
            double value = ((Number) figures.get(figure)).doubleValue();
            // A heap difference over 200 namespaces is within GC noise and may come out negative; it must exist.
            assertTrue(figure.startsWith("heap_") ? Double.isFinite(value) : value > 0, figure + " = " + value);
            assertTrue(json.contains("\"" + figure + "\": "), figure + " missing from " + json);
        }
        assertEquals(FIGURES.size(), figures.size(), "figures: " + figures.keySet());
    }
}
