package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.producer.FathomStorage;
import dev.fathom.producer.FathomStorageConfig;
import dev.fathom.producer.agent.Agent;
import dev.fathom.producer.agent.AgentConfig;
import dev.fathom.producer.restore.DatabaseRestorer;
import dev.fathom.producer.restore.RestoreResult;
import dev.fathom.producer.restore.RestoreTarget;
import dev.fathom.producer.restore.StoredSegment;
import dev.fathom.schemas.Topics;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.ForkedJvm;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.S3Server;
import dev.fathom.testkit.SqlWorkload;
import dev.fathom.testkit.SqlWorkload.AutoVacuum;
import dev.fathom.testkit.SqlWorkload.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite agent end to end: an application writes random transactions to real SQLite databases through
 * sqlite-jdbc while {@code Agent} ships them through a real broker and a real worker to a real S3 API; the database
 * restored from the bucket must equal a checkpointed copy of the source page for page and pass integrity_check.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class AgentIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.singleNode();
    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void shouldShipALiveDatabaseAndOneCreatedLaterSoThatTheyRestorePageForPage() throws Exception {
        Topics topics = WorkerFixture.uniqueTopics("agent");
        String bucket = S3.newBucket();
        Path watched = Files.createDirectories(dir.resolve("watched"));
        Path app = dir.resolve("app.db");
        try (Worker worker = startWorker(topics, bucket);
             SqlWorkload workload = SqlWorkload.open(app, 4096, AutoVacuum.NONE, Checkpoints.PASSIVE, 7)) {
            workload.run(20); // content before the agent starts: shipped as a base snapshot
            try (Agent agent = Agent.start(agentConfig(topics, "node-agent", Map.of("databases", app.toString(),
                    "watch.dir", watched.toString())))) {
                workload.run(75);
                workload.insertLargeBlobs(3, 2 * 1024 * 1024); // long overflow chains
                workload.run(75);
                assertRestoresToSource(agent, bucket, "app", workload);
                try (SqlWorkload later = SqlWorkload.open(watched.resolve("later.db"), 4096, AutoVacuum.NONE,
                        Checkpoints.TRUNCATE, 11)) {
                    later.run(30);
                    assertRestoresToSource(agent, bucket, "later", later);
                    later.run(30);
                    assertRestoresToSource(agent, bucket, "later", later);
                }
                workload.run(50);
                assertRestoresToSource(agent, bucket, "app", workload);
                System.out.printf("AgentIT: snapshots app=%s later=%s%n", agent.snapshots("app"),
                        agent.snapshots("later"));
                // The application's own PASSIVE checkpoints never cost a re-snapshot; its TRUNCATEs (later.db) may.
                assertEquals(1L, agent.snapshots("app").orElseThrow(), "base snapshots of app");
            }
            assertContiguous(bucket, "app");
            assertContiguous(bucket, "later");
            assertEveryBoundaryIsConsistent(bucket, "app");
        }
    }

    @Test
    void shouldResumeAfterARestartWithoutDuplicatesOrASecondSnapshot() throws Exception {
        Topics topics = WorkerFixture.uniqueTopics("agent-restart");
        String bucket = S3.newBucket();
        Path app = dir.resolve("restart.db");
        Map<String, String> dbs = Map.of("databases", app.toString());
        try (Worker worker = startWorker(topics, bucket);
             SqlWorkload workload = SqlWorkload.open(app, 4096, AutoVacuum.NONE, Checkpoints.NONE, 13)) {
            workload.run(10);
            try (Agent agent = Agent.start(agentConfig(topics, "node-restart", dbs))) {
                workload.run(60);
                assertRestoresToSource(agent, bucket, "restart", workload);
            }
            workload.run(40); // written while the agent is down
            try (Agent agent = Agent.start(agentConfig(topics, "node-restart", dbs))) {
                assertRestoresToSource(agent, bucket, "restart", workload);
                workload.run(40);
                assertRestoresToSource(agent, bucket, "restart", workload);
                assertEquals(0L, agent.snapshots("restart").orElseThrow(), "base snapshots after the restart");
            }
            assertContiguous(bucket, "restart");
        }
    }

    @Test
    void shouldLoseAndDuplicateNothingWhenTheAgentIsKilledMidStream() throws Exception {
        Topics topics = WorkerFixture.uniqueTopics("agent-kill");
        String bucket = S3.newBucket();
        Path app = dir.resolve("killed.db");
        Map<String, Object> props = new HashMap<>(agentProps(topics, "node-kill"));
        props.put("databases", app.toString());
        props.put("outbox.dir", dir.resolve("outbox").toString());
        Path config = WorkerFixture.write(props, dir.resolve("agent.properties"));
        try (Worker worker = startWorker(topics, bucket);
             SqlWorkload workload = SqlWorkload.open(app, 4096, AutoVacuum.NONE, Checkpoints.NONE, 17)) {
            workload.run(10);
            for (int r = 0; r < 3; r++) {
                int round = r;
                try (ForkedJvm agent = ForkedJvm.start(AgentProcess.class.getName(), List.of(config.toString()),
                        dir.resolve("agent-" + round + ".log"))) {
                    long before = lastStoredEnd(bucket, "killed");
                    workload.run(40);
                    Await.until(TIMEOUT, () -> lastStoredEnd(bucket, "killed") > before,
                            "a segment of killed after frame " + before + " in the bucket (round " + round + ")");
                    workload.run(20);
                    agent.killHard(); // mid-stream: segments sealed, queued, in flight or in the outbox
                    agent.awaitExit(TIMEOUT);
                    String log = Files.readString(agent.logFile());
                    System.out.printf("AgentIT kill round %d: resumed %d, snapshots %d, re-snapshots %d%n", round,
                            log.split("Resuming database", -1).length - 1,
                            log.split("Shipped a base snapshot", -1).length - 1,
                            log.split("Re-snapshotting", -1).length - 1);
                }
                workload.run(10); // written while no agent runs
            }
            try (ForkedJvm agent = ForkedJvm.start(AgentProcess.class.getName(), List.of(config.toString()),
                    dir.resolve("agent-last.log"));
                 FathomStorage reader = FathomStorage.start(new FathomStorageConfig(
                         WorkerFixture.storageConfig(KAFKA, topics, "node-kill-reader")))) {
                check(bucket).awaitLatestEqualsSource(reader::durableFrameNo, "killed", workload);
                assertContiguous(bucket, "killed");
            }
        }
    }

    @Test
    void shouldShipATransactionLargerThan40MiBAsOneSegment() throws Exception {
        Topics topics = WorkerFixture.uniqueTopics("agent-large");
        String bucket = S3.newBucket();
        Path app = dir.resolve("large.db");
        try (Worker worker = startWorker(topics, bucket);
             SqlWorkload workload = SqlWorkload.open(app, 4096, AutoVacuum.NONE, Checkpoints.NONE, 19)) {
            workload.run(5);
            try (Agent agent = Agent.start(agentConfig(topics, "node-large", Map.of("databases", app.toString())))) {
                assertRestoresToSource(agent, bucket, "large", workload);
                workload.insertLargeBlobs(45, 1024 * 1024); // 45 MiB of BLOBs in one transaction
                workload.run(5);
                assertRestoresToSource(agent, bucket, "large", workload);
            }
            List<StoredSegment> segments = check(bucket).segments("large");
            long largest = segments.stream().mapToLong(s -> s.id().endFrameNo() - s.id().startFrameNo() + 1).max()
                    .orElseThrow();
            assertTrue(largest * 4096 > 40L * 1024 * 1024, "largest segment: " + largest + " frames");
            assertContiguous(bucket, "large");
        }
    }

    private Worker startWorker(Topics topics, String bucket) {
        Worker worker = Worker.start(new WorkerConfig(WorkerFixture.config(KAFKA, S3, topics, "agent-workers-"
                + topics.segments(), "w1", bucket, dir.resolve("worker-state"))));
        Await.until(TIMEOUT, () -> worker.meta().isRunning(), "the worker's meta service to be RUNNING");
        return worker;
    }

    private AgentConfig agentConfig(Topics topics, String nodeId, Map<String, String> extra) {
        Map<String, Object> props = agentProps(topics, nodeId);
        props.putAll(extra);
        return new AgentConfig(props);
    }

    private Map<String, Object> agentProps(Topics topics, String nodeId) {
        Map<String, Object> props = new HashMap<>(WorkerFixture.storageConfig(KAFKA, topics, nodeId));
        props.put("state.dir", dir.resolve("agent-state").toString());
        props.put("segment.max.age.ms", "200");
        props.put("poll.interval.ms", "20");
        props.put("watch.interval.ms", "100");
        props.put("checkpoint.interval.ms", "300");
        return props;
    }

    private void assertRestoresToSource(Agent agent, String bucket, String namespace, SqlWorkload source)
            throws Exception {
        check(bucket).awaitLatestEqualsSource(agent.storage()::durableFrameNo, namespace, source);
    }

    private SourceRestoreCheck check(String bucket) {
        return new SourceRestoreCheck(S3.client(), bucket, dir, TIMEOUT);
    }

    /**
     * Restores up to 15 segment boundaries spread over the chain: each must be a consistent database. (Which state of
     * the source a boundary holds is unknown here; AgentPointInTimeIT compares boundaries with the source byte for
     * byte.)
     */
    private void assertEveryBoundaryIsConsistent(String bucket, String namespace) throws Exception {
        List<StoredSegment> segments = check(bucket).segments(namespace);
        int step = Math.max(1, segments.size() / 15);
        for (int i = 0; i < segments.size(); i += step) {
            long end = segments.get(i).id().endFrameNo();
            Path file = dir.resolve(namespace + "-at-" + end + ".db");
            RestoreResult result = new DatabaseRestorer().restore(S3.client(), bucket, "", namespace,
                    RestoreTarget.atFrame(end), file);
            assertEquals(end, result.endFrameNo(), "restored end frame");
            assertEquals(result.pagesWritten() * 4096L, Files.size(file), "size of " + file);
            assertEquals("ok", SqlWorkload.integrityCheck(file), "integrity_check of " + namespace + " at frame "
                    + end);
        }
    }

    private long lastStoredEnd(String bucket, String namespace) {
        return check(bucket).segments(namespace).stream().mapToLong(s -> s.id().endFrameNo()).max().orElse(0);
    }

    private void assertContiguous(String bucket, String namespace) {
        check(bucket).assertContiguous(namespace);
    }
}
