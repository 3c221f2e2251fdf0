package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fathom.schemas.Topics;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.S3Server;
import dev.fathom.testkit.TestSegments;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} and {@code GET /ready} of a running worker against a real broker and a real S3 API. */
class WorkerMetricsIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.singleNode();
    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final long T0 = 1_700_000_000_000L;
    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    @Test
    void shouldCountDurableSegmentsUploadBytesAndPoisonAndTurnReadyOnceJoined() {
        Topics topics = WorkerFixture.uniqueTopics("metrics");
        String bucket = S3.newBucket();
        Map<String, Object> props = WorkerFixture.config(KAFKA, S3, topics, "metrics", "w1", bucket, tmp);
        Random random = new Random(5);
        List<String> namespaces = WorkerFixture.namespacesOnDistinctPartitions("m", 3);
        List<List<SealedSegment>> chains = new ArrayList<>();
        for (int i = 0; i < namespaces.size(); i++) {
            chains.add(TestSegments.chain(2, 1, 12, 1024, 6, T0 + i, random));
        }
        int durable = 2 * namespaces.size();

        try (Worker worker = Worker.start(new WorkerConfig(props));
             ChunkPublisher publisher = new ChunkPublisher(KAFKA.bootstrapServers(), topics.segments())) {
            URI base = worker.meta().httpAddress();
            MetaHttp.Reply first = MetaHttp.get(base, "/ready");
            assertEquals(503, first.status(), () -> "not ready right after start: " + first.json());
            assertEquals("NOT_READY", first.json().get("status").asText());
            assertTrue(first.json().get("failed").size() > 0, () -> "names the failed check: " + first.json());
            assertEquals(200, MetaHttp.get(base, "/health").status(), "alive while not ready");

            MetaHttp.Reply ready = Await.value(WAIT, () -> MetaHttp.get(base, "/ready"), r -> r.status() == 200,
                    "the worker to become ready");
            assertEquals("READY", ready.json().get("status").asText());
            assertEquals(List.of("consumer", "streams", "storage.default"), names(ready.json().get("checks")));

            for (int i = 0; i < namespaces.size(); i++) {
                for (SealedSegment segment : chains.get(i)) {
                    publisher.publish(TestChunks.of(namespaces.get(i), "default", segment, 2));
                }
            }
            PrometheusText text = scrapeUntil(base, t -> value(t, "fathom_worker_segments_total", "outcome",
                    "durable") == durable, durable + " durable segments counted");
            assertEquals(durable, value(text, "fathom_worker_upload_seconds_count", "profile", "default"),
                    "one upload timing per durable segment");
            assertTrue(value(text, "fathom_worker_upload_bytes_total", "profile", "default") > 0, "bytes uploaded");
            assertEquals(S3.listKeys(bucket, "").stream().mapToLong(k -> S3.get(bucket, k).length).sum(),
                    (long) value(text, "fathom_worker_upload_bytes_total", "profile", "default"),
                    "upload bytes = the size of every object in the bucket");
            assertTrue(value(text, "fathom_worker_commit_seconds_count", "outcome", "committed") >= 1, "commits");
            assertEquals(0, value(text, "fathom_worker_failures_total", "class", "poison"));
            assertEquals(0, value(text, "fathom_worker_dead_letters_total"));

            List<SealedSegment> gapped = TestSegments.chain(3, 1, 10, 512, 6, T0, random);
            publisher.publish(TestChunks.of("gap-db", "default", gapped.get(0), 1));
            publisher.publish(TestChunks.of("gap-db", "default", gapped.get(2), 1)); // frames 21..30: a gap
            publisher.publishRaw("garbage", "not a SegmentChunk".getBytes(StandardCharsets.UTF_8));
            // A scrape is not atomic across meters: wait until both counters the refusals move are visible.
            text = scrapeUntil(base, t -> value(t, "fathom_worker_dead_letters_total") == 2
                    && value(t, "fathom_worker_failures_total", "class", "poison") >= 2,
                    "two dead letters and two poison failures counted");
            assertEquals(durable + 1, value(text, "fathom_worker_segments_total", "outcome", "durable"));
            assertEquals(1, value(text, "fathom_worker_segments_total", "outcome", "dead_lettered"), "the gap");
            assertEquals(2, value(text, "fathom_worker_failures_total", "class", "poison"), "gap and garbage");
            assertEquals(0, value(text, "fathom_worker_failures_total", "class", "fatal"));
            assertEquals(2, WorkerFixture.deadLetters(KAFKA, topics).size(), "dead letters in the topic");

            text = scrapeUntil(base, t -> t.samples("fathom_worker_segment_lag_records").size()
                    == WorkerFixture.PARTITIONS && t.samples("fathom_worker_segment_lag_records").stream()
                    .allMatch(s -> s.value() == 0), "zero segment lag on every owned partition");
            assertEquals(WorkerFixture.PARTITIONS, value(text, "fathom_worker_assigned_partitions"));
            assertEquals(0, value(text, "fathom_worker_jobs_in_flight"));
            assertEquals(0, value(text, "fathom_worker_backlog_bytes"));
            assertEquals(0, value(text, "fathom_worker_durable_frame_lag_max_frames"));
            assertTrue(worker.isRunning(), "poison never stops the worker");
        }
    }

    @Test
    void shouldNotBeReadyWhileAStorageProfilesBucketIsMissing() {
        Topics topics = WorkerFixture.uniqueTopics("ready");
        Map<String, Object> props = WorkerFixture.config(KAFKA, S3, topics, "ready", "w1", S3.newBucket(), tmp);
        WorkerFixture.addProfile(props, "ghost", "no-such-bucket");

        try (Worker worker = Worker.start(new WorkerConfig(props))) {
            URI base = worker.meta().httpAddress();
            MetaHttp.Reply reply = Await.value(WAIT, () -> MetaHttp.get(base, "/ready"),
                    r -> r.json().get("failed").size() == 1, "only the missing bucket to keep the worker unready");

            assertEquals(503, reply.status());
            assertEquals("storage.ghost", reply.json().get("failed").get(0).asText());
            JsonNode ghost = reply.json().get("checks").get(3);
            assertEquals("storage.ghost", ghost.get("name").asText());
            assertTrue(ghost.get("detail").asText().contains("s3://no-such-bucket")
                    && ghost.get("detail").asText().contains("does not exist"), ghost.toString());
            assertTrue(reply.json().get("checks").get(2).get("ok").asBoolean(), "the default bucket answers");
            assertEquals(200, MetaHttp.get(base, "/health").status(), "a missing bucket is not a dead process");
            assertTrue(worker.isRunning());
        }
    }

    private static List<String> names(JsonNode checks) {
        List<String> names = new ArrayList<>();
        checks.forEach(c -> names.add(c.get("name").asText()));
        return names;
    }

    private static double value(PrometheusText text, String name, String... labels) {
        return text.require(name, labels);
    }

    private static PrometheusText scrapeUntil(URI base, Predicate<PrometheusText> accept, String what) {
        return PrometheusText.scrapeUntil(HTTP, base, WAIT, accept, what);
    }

    private static PrometheusText scrape(URI base) {
        return PrometheusText.scrape(HTTP, base);
    }
}
