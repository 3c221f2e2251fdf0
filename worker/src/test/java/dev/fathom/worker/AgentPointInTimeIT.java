package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.producer.agent.Agent;
import dev.fathom.producer.agent.AgentConfig;
import dev.fathom.producer.restore.BucketSegmentCatalog;
import dev.fathom.producer.restore.DatabaseRestorer;
import dev.fathom.producer.restore.RestoreResult;
import dev.fathom.producer.restore.RestoreTarget;
import dev.fathom.producer.restore.StoredSegment;
import dev.fathom.schemas.Topics;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.S3Server;
import dev.fathom.testkit.SqlWorkload;
import dev.fathom.testkit.SqlWorkload.AutoVacuum;
import dev.fathom.testkit.SqlWorkload.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point-in-time restores of a database shipped by the agent equal the source at the same boundary, byte for byte.
 * The agent seals on every poll, and the application commits one transaction at a time and waits until the agent
 * has stored it: every segment end is then a known state of the source, whose checkpointed copy the test keeps.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AgentPointInTimeIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.singleNode();
    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int TRANSACTIONS = 24;
    private static final String NAMESPACE = "pit";

    @TempDir
    Path dir;

    @Test
    void shouldRestoreRandomBoundariesByFrameAndByTimeToTheSourceAtThatBoundary() throws Exception {
        Topics topics = WorkerFixture.uniqueTopics("agent-pit");
        String bucket = S3.newBucket();
        Path app = dir.resolve(NAMESPACE + ".db");
        TreeMap<Long, Path> copies = new TreeMap<>(); // segment end frame -> the source as of that frame
        List<String> kinds = new ArrayList<>();
        try (Worker worker = Worker.start(new WorkerConfig(WorkerFixture.config(KAFKA, S3, topics, "pit-workers",
                "w1", bucket, dir.resolve("worker-state"))));
             SqlWorkload workload = SqlWorkload.open(app, 4096, AutoVacuum.NONE, Checkpoints.NONE, 29);
             Connection probe = DriverManager.getConnection("jdbc:sqlite:" + app)) {
            workload.run(3); // content before the agent starts: the base snapshot is the first boundary
            try (Agent agent = Agent.start(new AgentConfig(agentProps(topics, app)))) {
                long stored = awaitStoredAfter(agent, 0, "the base snapshot");
                copies.put(stored, workload.checkpointedCopy(dir.resolve("at-" + stored + ".db")));
                while (copies.size() <= TRANSACTIONS) {
                    long version = dataVersion(probe);
                    SqlWorkload.Step step = copies.size() % 8 == 0 ? workload.vacuum() : workload.step();
                    if (dataVersion(probe) == version) {
                        continue; // the transaction changed no page (e.g. a delete matching no row): no frames
                    }
                    stored = awaitStoredAfter(agent, stored, "step " + step);
                    kinds.add(step.kind());
                    copies.put(stored, workload.checkpointedCopy(dir.resolve("at-" + stored + ".db")));
                }
                String status = agent.status();
                assertTrue(status.contains("is shipping 1 database: pit (stored up to frame " + stored + ", durable")
                        && status.contains("the outbox holds 0 bytes"), status);
            }
        }
        assertTrue(kinds.contains("vacuum") && kinds.stream().anyMatch(k -> k.startsWith("delete")),
                "transactions: " + kinds);
        List<StoredSegment> segments = new BucketSegmentCatalog(S3.client(), bucket, "").segments(NAMESPACE);
        Map<Long, StoredSegment> byEnd = new HashMap<>();
        segments.forEach(s -> byEnd.put(s.id().endFrameNo(), s));
        assertTrue(byEnd.keySet().containsAll(copies.keySet()), "boundaries " + copies.keySet() + " stored as "
                + byEnd.keySet());

        System.out.printf("AgentPointInTimeIT: %d boundaries %s, transactions %s%n", copies.size(), copies.keySet(),
                kinds);
        Random random = new Random(31);
        List<Long> ends = new ArrayList<>(copies.keySet());
        Collections.shuffle(ends, random);
        for (long end : ends.subList(0, 10)) {
            assertRestoredEqualsSource(bucket, RestoreTarget.atFrame(end), end, copies.get(end));
        }
        // By time: any instant from a boundary's sealed_at up to (excluding) the next one's selects that boundary.
        List<Long> byTime = new ArrayList<>(copies.keySet());
        byTime.removeIf(end -> sealedAt(byEnd, end) == nextSealedAt(byEnd, copies, end)); // same millisecond
        Collections.shuffle(byTime, random);
        assertTrue(byTime.size() >= 5, "boundaries with distinct sealed_at: " + byTime);
        for (long end : byTime.subList(0, 5)) {
            long from = sealedAt(byEnd, end);
            long until = nextSealedAt(byEnd, copies, end);
            Instant at = Instant.ofEpochMilli(from + random.nextLong(until - from));
            assertRestoredEqualsSource(bucket, RestoreTarget.atTime(at), end, copies.get(end));
        }
    }

    private Map<String, Object> agentProps(Topics topics, Path app) {
        Map<String, Object> props = new HashMap<>(WorkerFixture.storageConfig(KAFKA, topics, "node-pit"));
        props.put("state.dir", dir.resolve("agent-state").toString());
        props.put("databases", app.toString());
        props.put("segment.max.age.ms", "0"); // seal on every poll that read a commit: one transaction, one segment
        props.put("poll.interval.ms", "10");
        // The agent's own checkpoints are the only other writer of the WAL and the file: none during the test, so a
        // copy of the idle source is never torn and the probe's data_version moves only with the application.
        props.put("checkpoint.interval.ms", "3600000");
        return props;
    }

    private static long awaitStoredAfter(Agent agent, long before, String what) {
        long[] stored = {before};
        Await.until(TIMEOUT, () -> (stored[0] = agent.storage().lastStoredFrameNo(NAMESPACE)) > before,
                "the agent to store " + what + " after frame " + before);
        return stored[0];
    }

    private static long dataVersion(Connection probe) throws SQLException {
        try (Statement s = probe.createStatement(); ResultSet rs = s.executeQuery("PRAGMA data_version")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long sealedAt(Map<Long, StoredSegment> byEnd, long end) {
        return byEnd.get(end).id().sealedAtMs();
    }

    /** The sealed_at of the boundary after {@code end}, or a second later for the last one. */
    private static long nextSealedAt(Map<Long, StoredSegment> byEnd, TreeMap<Long, Path> copies, long end) {
        Long next = copies.higherKey(end);
        return next == null ? sealedAt(byEnd, end) + 1000 : sealedAt(byEnd, next);
    }

    private void assertRestoredEqualsSource(String bucket, RestoreTarget target, long end, Path expected)
            throws Exception {
        Path file = dir.resolve("restored-" + end + "-" + target.getClass().getSimpleName() + ".db");
        RestoreResult result = new DatabaseRestorer().restore(S3.client(), bucket, "", NAMESPACE, target, file);
        assertEquals(end, result.endFrameNo(), "end frame restored for " + target);
        assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(file), "restore " + target
                + " against the source at frame " + end);
        assertEquals("ok", SqlWorkload.integrityCheck(file), "integrity_check of the restore " + target);
    }
}
