package dev.fathom.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.cli.DevEndpoints;
import dev.fathom.cli.DevSettings;
import dev.fathom.cli.DevStack;
import dev.fathom.cli.StartupProgress;
import dev.fathom.producer.storage.S3Clients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The bench against given endpoints (here a DevStack started by the test, standing for a cluster and a bucket that
 * workers elsewhere serve): every figure but the CPU and heap ones, every name carrying the run id, and the raw
 * baselines' topic and objects removed afterwards.
 */
class BenchExternalEndpointsIT {

    @Test
    void measuresGivenEndpointsUnderARunIdAndCleansUpTheRawBaselines(@TempDir Path dir) throws Exception {
        try (DevStack stack = DevStack.start(new DevSettings(dir.resolve("stack"), 0, 0, 0, "fathom-bench", 3),
                StartupProgress.silent())) {
            DevEndpoints e = stack.endpoints();
            Path config = dir.resolve("bench.properties");
            Files.writeString(config, String.join("\n",
                    "bootstrap.servers=" + e.bootstrapServers(),
                    "storage.profiles=default",
                    "storage.profile.default.bucket=" + e.bucket(),
                    "storage.profile.default.endpoint=" + e.s3Endpoint(),
                    "storage.profile.default.region=us-east-1",
                    "storage.profile.default.path.style=true",
                    "storage.profile.default.access.key=" + e.accessKey(),
                    "storage.profile.default.secret.key=" + e.secretKey(), ""));
            Path out = dir.resolve("result.json");

            Map<String, Object> figures = BenchMain.run(new BenchOptions(Duration.ofSeconds(1), Duration.ofMillis(300),
                    1, 1, false, 10, out, null, config));

            for (String figure : List.of("raw_kafka_produce_mib_s", "raw_s3_put_mib_s", "raw_s3_get_mib_s",
                    "ingest_1ns_mib_s", "ingest_100ns_mib_s", "lag_p99_ms", "restore_mib_s", "compaction_ratio")) {
                assertTrue(((Number) figures.get(figure)).doubleValue() > 0, figure + " = " + figures.get(figure));
            }
            // This JVM's CPU and heap would describe only the client, not the system measured.
            assertTrue(figures.keySet().stream().noneMatch(k -> k.contains("_cpu_") || k.startsWith("heap_")),
                    "figures: " + figures.keySet());
            assertFalse(BenchReport.table(figures).contains("null"), BenchReport.table(figures));

            try (S3Client s3 = S3Clients.create(BenchTarget.devStack(e).profile())) {
                List<String> keys = s3.listObjectsV2Paginator(b -> b.bucket(e.bucket())).contents().stream()
                        .map(S3Object::key).toList();
                assertFalse(keys.isEmpty());
                assertTrue(keys.stream().allMatch(k -> k.matches("bench-\\d{8}-\\d{6}-[a-z0-9-]+/segments/.+")),
                        "every object under this run's id: " + keys);
                assertTrue(keys.stream().noneMatch(k -> k.contains("-raw/")), "raw baseline objects left: " + keys);
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    e.bootstrapServers()))) {
                Set<String> topics = admin.listTopics().names().get();
                assertEquals(0, topics.stream().filter(t -> t.startsWith("bench-")).count(),
                        "raw baseline topic left: " + topics);
            }
        }
    }
}
