package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.SegmentInfo;
import dev.fathom.schemas.TopicProvisioner;
import dev.fathom.schemas.Topics;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.ForkedJvm;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.S3Server;
import dev.fathom.testkit.TestSegments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import org.junit.jupiter.api.io.TempDir;

/** A worker killed -9 between upload and commit: the next owner rewrites the same bytes and commits exactly once. */
class WorkerKillIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.singleNode();
    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    @TempDir
    Path tmp;

    @Test
    void shouldRedoAnUploadedButUncommittedSegmentIdempotentlyAfterAKill() throws Exception {
        Topics topics = WorkerFixture.uniqueTopics("kill");
        String bucket = S3.newBucket();
        List<SealedSegment> segments = TestSegments.chain(3, 1, 20, 1024, 10, 1_700_000_000_000L, new Random(5));
        Path marker = tmp.resolve("blocked-before-commit");
        Map<String, Object> doomed = WorkerFixture.config(KAFKA, S3, topics, "kill", "doomed", bucket, tmp);
        doomed.put("fault.block.before.commit.marker.file", marker.toString());
        // Create the topics before publishing, as the forked worker would (only later).
        new TopicProvisioner(KAFKA.admin(), topics, new WorkerConfig(doomed).topicSettings()).ensureTopics();
        try (ChunkPublisher publisher = new ChunkPublisher(KAFKA.bootstrapServers(), topics.segments())) {
            for (SealedSegment segment : segments) {
                publisher.publish(TestChunks.of("kill-db", "default", segment, 2));
            }
        }

        Map<String, byte[]> before;
        try (ForkedJvm forked = ForkedJvm.start(WorkerMain.class.getName(),
                List.of(WorkerFixture.write(doomed, tmp.resolve("doomed.properties")).toString()),
                tmp.resolve("doomed.log"))) {
            Await.until(Duration.ofSeconds(40), () -> Files.exists(marker) || !forked.isAlive(),
                    "the forked worker to upload its first segment and block before committing");
            assertTrue(forked.isAlive(), () -> "the forked worker died early:\n" + forked.logTail(40));
            // The namespace's next segment may still be uploading (uploads overlap the blocked commit): snapshot the
            // bucket once every data object has its index and two listings in a row agree.
            before = Await.value(Duration.ofSeconds(20), () -> settledObjects(bucket), Objects::nonNull,
                    "the doomed worker's uploads to settle");
            forked.killHard();
            forked.awaitExit(Duration.ofSeconds(10));
        }
        assertFalse(before.isEmpty(), "the killed worker had uploaded objects");
        assertTrue(WorkerFixture.metaRecords(KAFKA, topics).isEmpty(), "the killed worker committed no durable frame");
        assertTrue(WorkerFixture.catalog(KAFKA, topics).isEmpty(), "the killed worker committed no catalog record");

        Map<String, Object> survivor = WorkerFixture.config(KAFKA, S3, topics, "kill", "survivor", bucket, tmp);
        long last = segments.get(segments.size() - 1).endFrameNo();
        try (Worker worker = Worker.start(new WorkerConfig(survivor))) {
            Await.until(Duration.ofSeconds(40), () -> WorkerFixture.lastDurable(KAFKA, topics)
                    .getOrDefault("kill-db", 0L) == last || !worker.isRunning(),
                    "the next owner to make every segment durable");
            assertTrue(worker.isRunning(), () -> "the next owner failed: " + worker.failure());
        }

        Map<String, byte[]> after = objects(bucket);
        before.forEach((key, bytes) -> assertArrayEquals(bytes, after.get(key), "same bytes under " + key));
        assertEquals(2 * segments.size(), after.size(), "one data and one index object per segment");
        assertEquals(List.of(segments.get(0).endFrameNo(), segments.get(1).endFrameNo(), last),
                WorkerFixture.metaRecords(KAFKA, topics).stream().map(f -> f.getDurableFrameNo()).toList(),
                "one meta record per segment, in frame order");
        Map<String, Long> catalogKeys = WorkerFixture.catalog(KAFKA, topics).stream()
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        assertEquals(segments.size(), catalogKeys.size(), "a catalog record per segment: " + catalogKeys);
        catalogKeys.forEach((key, count) -> assertEquals(1L, count, "exactly one catalog record under " + key));
        for (ConsumerRecord<String, SegmentInfo> record : WorkerFixture.catalog(KAFKA, topics)) {
            assertTrue(after.containsKey(record.value().getDataKey()), record.value().getDataKey());
        }
    }

    /** The bucket's objects when they are complete and unchanged since the previous look, else null. */
    private static Map<String, byte[]> settledObjects(String bucket) {
        try {
            Map<String, byte[]> first = objects(bucket);
            boolean paired = first.keySet().stream().filter(k -> k.endsWith(".seg"))
                    .allMatch(k -> first.containsKey(k.substring(0, k.length() - 4) + ".idx"));
            Map<String, byte[]> second = objects(bucket);
            boolean unchanged = first.keySet().equals(second.keySet())
                    && first.keySet().stream().allMatch(k -> Arrays.equals(first.get(k), second.get(k)));
            return paired && unchanged ? second : null;
        } catch (NoSuchKeyException e) {
            return null; // listed while being written
        }
    }

    private static Map<String, byte[]> objects(String bucket) {
        Map<String, byte[]> objects = new LinkedHashMap<>();
        for (String key : S3.listKeys(bucket, "")) {
            objects.put(key, S3.get(bucket, key));
        }
        return objects;
    }
}
