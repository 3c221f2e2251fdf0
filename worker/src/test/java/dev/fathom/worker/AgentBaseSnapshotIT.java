package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.producer.FathomStorage;
import dev.fathom.producer.FathomStorageConfig;
import dev.fathom.producer.restore.StoredSegment;
import dev.fathom.schemas.Topics;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.ForkedJvm;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.S3Server;
import dev.fathom.testkit.SqlWorkload;
import dev.fathom.testkit.SqlWorkload.AutoVacuum;
import dev.fathom.testkit.SqlWorkload.Checkpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's base snapshot streamed into segments of at most {@code segment.max.bytes} (issue 4), against a real
 * broker, worker and S3 API: a database several times larger than the agent's heap ships on first contact, and an
 * agent killed halfway through a snapshot ships a new one when restarted; the database restored from the bucket
 * equals the source byte for byte.
 */
@Timeout(value = 480, unit = TimeUnit.SECONDS)
class AgentBaseSnapshotIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.singleNode();
    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final long HEAP_BYTES = 64L * 1024 * 1024;
    private static final long SEGMENT_MAX_BYTES = 4L * 1024 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(240);
    private static final Pattern GC_AFTER = Pattern.compile("->(\\d+)M\\(");
    private static final Pattern SHIPPED = Pattern.compile("Shipped a base snapshot .* as frames (\\d+)-(\\d+) in");

    @TempDir
    Path dir;

    /**
     * A forked agent with {@code -Xmx64m} (and {@code -XX:+ExitOnOutOfMemoryError}, so running out of heap fails fast)
     * meets a 256 MiB database, ships it through its outbox and keeps tailing afterwards.
     */
    @Test
    void shouldShipADatabaseFourTimesTheAgentsHeapOnFirstContactAndRestoreItPageForPage() throws Exception {
        Topics topics = WorkerFixture.uniqueTopics("agent-big");
        String bucket = S3.newBucket();
        Path app = dir.resolve("big.db");
        try (Worker worker = startWorker(topics, bucket);
             SqlWorkload workload = SqlWorkload.open(app, 4096, AutoVacuum.NONE, Checkpoints.PASSIVE, 29);
             FathomStorage reader = FathomStorage.start(new FathomStorageConfig(
                     WorkerFixture.storageConfig(KAFKA, topics, "node-big-reader")))) {
            workload.run(20);
            for (int i = 0; i < 16; i++) {
                workload.insertLargeBlobs(16, 1024 * 1024); // 16 transactions of 16 MiB: 256 MiB of BLOBs
            }
            workload.checkpoint();
            long dbBytes = Files.size(app);
            long pages = workload.pageCount();
            assertTrue(dbBytes >= 4 * HEAP_BYTES, "database of " + dbBytes + " bytes, 4 x the heap at least");

            Path config = WorkerFixture.write(agentProps(topics, app), dir.resolve("agent.properties"));
            // Kept after the test (the temp dir is not): what the agent did and how much heap it used.
            Path logs = Files.createDirectories(Path.of("target", "agent-snapshot-it-" + topics.segments()));
            long start = System.nanoTime();
            try (ForkedJvm agent = ForkedJvm.start(AgentProcess.class.getName(), List.of(config.toString()),
                    List.of("-Xmx" + (HEAP_BYTES >> 20) + "m", "-XX:+ExitOnOutOfMemoryError",
                            "-Xlog:gc:file=" + logs.resolve("agent-gc.log")), logs.resolve("agent.log"))) {
                Await.until(TIMEOUT, () -> !agent.isAlive() || reader.durableFrameNo("big") >= pages,
                        "the base snapshot of big (" + pages + " pages) to be durable");
                assertTrue(agent.isAlive(), "the agent died:\n" + agent.logTail(30));
                double seconds = (System.nanoTime() - start) / 1e9;
                check(bucket).awaitLatestEqualsSource(reader::durableFrameNo, "big", workload);

                // The agent tails the WAL after the snapshot. (Small transactions: random ones on this database
                // include a delete of most rows plus a VACUUM, a transaction as large as the database, and the tailer
                // collects each transaction in memory.)
                for (int i = 0; i < 5; i++) {
                    workload.insertLargeBlobs(4, 100_000);
                }
                check(bucket).awaitLatestEqualsSource(reader::durableFrameNo, "big", workload);

                assertTrue(agent.isAlive(), "the agent died:\n" + agent.logTail(30));
                String log = Files.readString(agent.logFile());
                assertFalse(log.contains("OutOfMemoryError"), "agent log:\n" + agent.logTail(30));
                List<StoredSegment> snapshot = check(bucket).segments("big").stream()
                        .filter(s -> s.id().endFrameNo() <= pages).toList();
                long maxFrames = SEGMENT_MAX_BYTES / 4096;
                assertEquals(pages, snapshot.get(snapshot.size() - 1).id().endFrameNo(), "snapshot end frame");
                assertTrue(snapshot.stream().allMatch(s -> s.id().endFrameNo() - s.id().startFrameNo() + 1
                        <= maxFrames), "every snapshot segment holds at most " + maxFrames + " pages");
                check(bucket).assertContiguous("big");
                System.out.printf("AgentBaseSnapshotIT: %d MiB database (%d pages) shipped by an agent"
                                + " with -Xmx%dm as %d segments in %.1f s (%.1f MiB/s to durable); largest live"
                                + " heap after a full GC %d MiB%n", dbBytes >> 20, pages, HEAP_BYTES >> 20, snapshot.size(),
                        seconds, (dbBytes >> 20) / seconds, largestLiveHeap(logs.resolve("agent-gc.log")));
            }
        }
    }

    /**
     * The first agent is killed while its snapshot is half shipped (an outbox of 3 MiB makes the snapshot advance at
     * the pace segments become durable). Only a snapshot's last segment records a WAL position, so the restarted
     * agent cannot resume inside it: it ships a new snapshot after the last stored frame, and the chain stays
     * contiguous.
     */
    @Test
    void shouldShipANewSnapshotAfterAnAgentKilledHalfwayThroughOne() throws Exception {
        Topics topics = WorkerFixture.uniqueTopics("agent-half");
        String bucket = S3.newBucket();
        Path app = dir.resolve("half.db");
        try (Worker worker = startWorker(topics, bucket);
             SqlWorkload workload = SqlWorkload.open(app, 4096, AutoVacuum.NONE, Checkpoints.PASSIVE, 31);
             FathomStorage reader = FathomStorage.start(new FathomStorageConfig(
                     WorkerFixture.storageConfig(KAFKA, topics, "node-half-reader")))) {
            workload.run(10);
            for (int i = 0; i < 4; i++) {
                workload.insertLargeBlobs(12, 1024 * 1024);
            }
            workload.checkpoint();
            long pages = workload.pageCount();
            Map<String, Object> props = agentProps(topics, app);
            props.put("segment.max.bytes", Long.toString(1024 * 1024));
            props.put("outbox.max.bytes", Long.toString(3 * 1024 * 1024));
            Path config = WorkerFixture.write(props, dir.resolve("agent-half.properties"));
            Path logs = Files.createDirectories(Path.of("target", "agent-snapshot-it-" + topics.segments()));
            try (ForkedJvm first = ForkedJvm.start(AgentProcess.class.getName(), List.of(config.toString()),
                    logs.resolve("agent-first.log"))) {
                Await.until(TIMEOUT, () -> check(bucket).segments("half").size() >= 5,
                        "5 segments of the first snapshot in the bucket");
                first.killHard();
                assertFalse(Files.readString(first.logFile()).contains("Shipped a base snapshot"),
                        "the first agent was killed before its snapshot was complete");
            }
            long stored = check(bucket).segments("half").size();
            try (ForkedJvm second = ForkedJvm.start(AgentProcess.class.getName(), List.of(config.toString()),
                    logs.resolve("agent-second.log"))) {
                String shipped = Await.value(TIMEOUT, () -> read(second.logFile()),
                        log -> SHIPPED.matcher(log).find(), "the restarted agent to ship a new base snapshot");
                Matcher frames = SHIPPED.matcher(shipped);
                assertTrue(frames.find());
                long snapshotEnd = Long.parseLong(frames.group(2));
                Await.until(TIMEOUT, () -> reader.durableFrameNo("half") >= snapshotEnd,
                        "the new snapshot (frames " + frames.group(1) + "-" + snapshotEnd + ") to be durable");
                check(bucket).awaitLatestEqualsSource(reader::durableFrameNo, "half", workload);
                workload.run(10);
                check(bucket).awaitLatestEqualsSource(reader::durableFrameNo, "half", workload);
            }
            check(bucket).assertContiguous("half");
            long end = check(bucket).segments("half").stream().mapToLong(s -> s.id().endFrameNo()).max()
                    .orElseThrow();
            assertTrue(end > pages + (stored - 1) * 256, "a second snapshot followed the " + stored
                    + " segments of the first (last frame " + end + ", " + pages + " pages)");
        }
    }

    private Map<String, Object> agentProps(Topics topics, Path app) {
        Map<String, Object> props = new HashMap<>(WorkerFixture.storageConfig(KAFKA, topics, "node-" + app
                .getFileName().toString().replace(".db", "")));
        props.put("databases", app.toString());
        props.put("state.dir", dir.resolve("agent-state").toString());
        props.put("outbox.dir", dir.resolve("outbox").toString());
        props.put("segment.max.bytes", Long.toString(SEGMENT_MAX_BYTES));
        // The Kafka producer buffers up to buffer.memory (32 MiB by default) of unacknowledged chunks: half the heap.
        props.put("kafka.producer.buffer.memory", Long.toString(8L * 1024 * 1024));
        props.put("segment.max.age.ms", "200");
        props.put("poll.interval.ms", "20");
        props.put("checkpoint.interval.ms", "300");
        return props;
    }

    private Worker startWorker(Topics topics, String bucket) {
        Worker worker = Worker.start(new WorkerConfig(WorkerFixture.config(KAFKA, S3, topics, "big-workers-"
                + topics.segments(), "w1", bucket, dir.resolve("worker-state"))));
        Await.until(TIMEOUT, () -> worker.meta().isRunning(), "the worker's meta service to be RUNNING");
        return worker;
    }

    private SourceRestoreCheck check(String bucket) {
        return new SourceRestoreCheck(S3.client(), bucket, dir, TIMEOUT);
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + log, e);
        }
    }

    /** The largest heap occupancy right after a full collection in a {@code -Xlog:gc} file, in MiB (-1: none). */
    private static long largestLiveHeap(Path gcLog) throws Exception {
        long largest = -1;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = GC_AFTER.matcher(line.contains("Pause Full") ? line : "");
            while (m.find()) {
                largest = Math.max(largest, Long.parseLong(m.group(1)));
            }
        }
        return largest;
    }
}
