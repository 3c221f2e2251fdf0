package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.producer.agent.Agent;
import dev.fathom.producer.agent.AgentConfig;
import dev.fathom.producer.restore.StoredSegment;
import dev.fathom.schemas.Topics;
import dev.fathom.schemas.format.SegmentFrames;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.S3Server;
import dev.fathom.testkit.SqlWorkload;
import dev.fathom.testkit.SqlWorkload.AutoVacuum;
import dev.fathom.testkit.SqlWorkload.Checkpoints;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics}, {@code /health} and {@code /ready} of a running agent shipping a live SQLite database through a
 * real broker and a real worker to a real S3 API: the counts equal what happened (segments in the bucket, frames
 * durable, the outbox while no worker runs), and the worker counts each durable segment once; a database that cannot be
 * read keeps the agent unready and is counted as an error.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AgentMetricsIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.singleNode();
    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String NS = "shop";

    @TempDir
    Path dir;

    @Test
    void shouldCountWhatTheAgentShippedAndTheOutboxWhileNoWorkerRuns() throws Exception {
        Topics topics = WorkerFixture.uniqueTopics("agent-metrics");
        String bucket = S3.newBucket();
        Path db = dir.resolve(NS + ".db");
        try (SqlWorkload workload = SqlWorkload.open(db, 4096, AutoVacuum.NONE, Checkpoints.NONE, 23)) {
            workload.run(15); // shipped as the base snapshot
            try (Agent agent = Agent.start(agentConfig(topics, db))) {
                URI base = agent.httpAddress().orElseThrow();
                assertEquals(200, MetaHttp.get(base, "/health").status(), "alive from the start");
                long durableBefore;
                try (Worker worker = startWorker(topics, bucket, "w1")) {
                    workload.run(60);
                    check(bucket).awaitLatestEqualsSource(agent.storage()::durableFrameNo, NS, workload);
                    PrometheusText text = awaitQuiet(base, agent);
                    assertShipped(text, bucket, agent);
                    assertEquals(0, value(text, "fathom_agent_outbox_entries"), "everything durable");
                    assertEquals(0, value(text, "fathom_agent_outbox_bytes"));
                    assertEquals(0, value(text, "fathom_agent_durable_lag_sum_frames"));
                    PrometheusText workerText = scrape(worker.meta().httpAddress());
                    assertEquals(value(text, "fathom_agent_segments_durable_total"),
                            value(workerText, "fathom_worker_segments_total", "outcome", "durable"),
                            "the worker counts every durable segment once");
                    assertEquals(0, value(workerText, "fathom_worker_segments_total", "outcome", "replayed"));
                    MetaHttp.Reply ready = MetaHttp.get(base, "/ready");
                    assertEquals(200, ready.status(), ready.json()::toString);
                    assertEquals("READY", ready.json().get("status").asText());
                    assertEquals("databases", ready.json().get("checks").get(0).get("name").asText());
                    assertEquals("publishing", ready.json().get("checks").get(1).get("name").asText());
                    durableBefore = agent.storage().durableFrameNo(NS);
                }

                workload.run(30); // no worker: published, kept in the outbox, not durable
                PrometheusText waiting = scrapeUntil(base, t -> value(t, "fathom_agent_durable_lag_sum_frames")
                        == agent.storage().lastStoredFrameNo(NS) - durableBefore
                        && value(t, "fathom_agent_segments_stored_total")
                        > value(t, "fathom_agent_segments_durable_total")
                        && value(t, "fathom_agent_outbox_entries") == value(t, "fathom_agent_segments_stored_total")
                        - value(t, "fathom_agent_segments_durable_total"), "the outbox to hold what is not durable");
                long lag = (long) value(waiting, "fathom_agent_durable_lag_sum_frames");
                assertTrue(lag > 0, "frames stored but not durable");
                assertEquals(lag, value(waiting, "fathom_agent_durable_lag_max_frames"), "one database");
                assertTrue(value(waiting, "fathom_agent_outbox_bytes") > 0, "outbox bytes");
                assertEquals(200, MetaHttp.get(base, "/ready").status(), "publishing to Kafka works without workers");

                try (Worker worker = startWorker(topics, bucket, "w2")) {
                    check(bucket).awaitLatestEqualsSource(agent.storage()::durableFrameNo, NS, workload);
                    PrometheusText text = awaitQuiet(base, agent);
                    assertShipped(text, bucket, agent);
                    assertEquals(0, value(text, "fathom_agent_outbox_entries"), "the outbox drained");
                    assertEquals(0, value(text, "fathom_agent_durable_lag_max_frames"));
                }
                System.out.printf("AgentMetricsIT: %s%n", agent.status());
            }
        }
    }

    @Test
    void shouldNotBeReadyAndCountSqliteErrorsWhileADatabaseCannotBeRead() throws Exception {
        Topics topics = WorkerFixture.uniqueTopics("agent-broken");
        Path good = dir.resolve("good.db");
        Path broken = Files.writeString(dir.resolve("broken.db"), "not a SQLite database ".repeat(400));
        try (SqlWorkload workload = SqlWorkload.open(good, 4096, AutoVacuum.NONE, Checkpoints.NONE, 29)) {
            workload.run(3);
            Map<String, Object> props = new HashMap<>(agentProps(topics, "node-broken"));
            props.put("databases", good + "," + broken);
            props.put("shutdown.timeout.ms", "1000"); // no worker runs: nothing becomes durable
            try (Agent agent = Agent.start(new AgentConfig(props))) {
                URI base = agent.httpAddress().orElseThrow();
                MetaHttp.Reply reply = Await.value(WAIT, () -> MetaHttp.get(base, "/ready"), r -> r.status() == 503
                        && r.json().get("checks").get(0).get("detail").asText().contains("broken ("),
                        "/ready to name the database whose polls fail");
                String detail = reply.json().get("checks").get(0).get("detail").asText();
                assertEquals("[\"databases\"]", reply.json().get("failed").toString(), detail);
                assertTrue(detail.startsWith("polls are failing for broken (") && !detail.contains("good"), detail);
                assertTrue(reply.json().get("checks").get(1).get("ok").asBoolean(), "publishing works");
                assertEquals(200, MetaHttp.get(base, "/health").status(), "a bad database is no dead agent");
                PrometheusText text = scrapeUntil(base, t -> value(t, "fathom_agent_errors_total", "class", "sqlite")
                        >= 2, "failed polls of broken.db counted as sqlite errors");
                assertEquals(2, value(text, "fathom_agent_databases"), "both are tailed");
                assertEquals(0, value(text, "fathom_agent_errors_total", "class", "other"));
                assertEquals(1, value(text, "fathom_agent_snapshots_total"), "good.db shipped anyway");
                assertEquals(404, MetaHttp.get(base, "/nope").status());
                assertEquals(405, MetaHttp.send(base, "/metrics", "POST").status());
            }
        }
    }

    /** The counters against the bucket: every segment stored once, durable, and made of the frames read. */
    private void assertShipped(PrometheusText text, String bucket, Agent agent) {
        List<StoredSegment> segments = check(bucket).segments(NS);
        long frames = segments.stream().mapToLong(s -> s.id().endFrameNo() - s.id().startFrameNo() + 1).sum();
        StoredSegment snapshot = segments.get(0);
        long snapshotFrames = snapshot.id().endFrameNo() - snapshot.id().startFrameNo() + 1;
        assertEquals(1, value(text, "fathom_agent_databases"));
        assertEquals(1, value(text, "fathom_agent_snapshots_total"), "one base snapshot");
        assertEquals(agent.snapshots(NS).orElseThrow(), (long) value(text, "fathom_agent_snapshots_total"));
        assertEquals(0, value(text, "fathom_agent_resnapshots_total"));
        assertEquals(segments.size(), value(text, "fathom_agent_segments_sealed_total"), "sealed = in the bucket");
        assertEquals(segments.size(), value(text, "fathom_agent_segments_stored_total"), "stored = in the bucket");
        assertEquals(segments.size(), value(text, "fathom_agent_segments_durable_total"), "durable = in the bucket");
        assertEquals(0, value(text, "fathom_agent_segments_failed_total"));
        assertEquals(agent.storage().durableFrameNo(NS), segments.get(segments.size() - 1).id().endFrameNo());
        assertEquals(frames * SegmentFrames.recordSize(4096), value(text, "fathom_agent_stored_bytes_total"),
                "frame bytes of every stored segment");
        assertEquals(frames - snapshotFrames, value(text, "fathom_agent_wal_frames_total"),
                "every frame after the snapshot was read from the WAL once");
        assertTrue(value(text, "fathom_agent_checkpoints_total", "mode", "passive", "result", "complete") >= 1,
                "durable frames were checkpointed");
        assertTrue(value(text, "fathom_agent_publish_transactions_total", "outcome", "committed") >= 1);
        assertEquals(0, value(text, "fathom_agent_publish_transactions_total", "outcome", "failed"));
        for (String kind : List.of("sqlite", "wal_format", "io", "queue_full", "storage", "scan", "other")) {
            assertEquals(0, value(text, "fathom_agent_errors_total", "class", kind), "errors of class " + kind);
        }
    }

    /** Waits until everything read was sealed, stored and durable (no transaction is in flight). */
    private PrometheusText awaitQuiet(URI base, Agent agent) {
        return scrapeUntil(base, t -> value(t, "fathom_agent_durable_lag_sum_frames") == 0
                && value(t, "fathom_agent_segments_durable_total") == value(t, "fathom_agent_segments_stored_total")
                && value(t, "fathom_agent_segments_sealed_total") == value(t, "fathom_agent_segments_stored_total")
                && agent.storage().durableFrameNo(NS) == agent.storage().lastStoredFrameNo(NS)
                && value(t, "fathom_agent_checkpoints_total", "mode", "passive", "result", "complete") >= 1,
                "every segment read to be durable and checkpointed");
    }

    private AgentConfig agentConfig(Topics topics, Path db) {
        Map<String, Object> props = new HashMap<>(agentProps(topics, "node-metrics"));
        props.put("databases", db.toString());
        return new AgentConfig(props);
    }

    private Map<String, Object> agentProps(Topics topics, String nodeId) {
        Map<String, Object> props = new HashMap<>(WorkerFixture.storageConfig(KAFKA, topics, nodeId));
        props.put("state.dir", dir.resolve("agent-state-" + nodeId).toString());
        props.put("outbox.dir", dir.resolve("outbox-" + nodeId).toString());
        props.put("http.port", "0");
        props.put("http.listen.host", "127.0.0.1");
        props.put("segment.max.age.ms", "200");
        props.put("poll.interval.ms", "20");
        props.put("watch.interval.ms", "100");
        props.put("checkpoint.interval.ms", "300");
        return props;
    }

    private Worker startWorker(Topics topics, String bucket, String id) {
        Worker worker = Worker.start(new WorkerConfig(WorkerFixture.config(KAFKA, S3, topics, "agent-metrics-"
                + topics.segments(), id, bucket, dir.resolve("worker-" + id))));
        Await.until(WAIT, () -> worker.meta().isRunning(), "the worker's meta service to be RUNNING");
        return worker;
    }

    private SourceRestoreCheck check(String bucket) {
        return new SourceRestoreCheck(S3.client(), bucket, dir, WAIT);
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
