package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.producer.FathomStorage;
import dev.fathom.producer.FathomStorageConfig;
import dev.fathom.schemas.SegmentInfo;
import dev.fathom.schemas.Topics;
import dev.fathom.schemas.format.ObjectKeys;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.S3Server;
import dev.fathom.testkit.TestSegments;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class WorkerPipelineIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.singleNode();
    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final String PREFIX = "fleet-a";
    private static final int NAMESPACES = 6;
    private static final int SEGMENTS_PER_NAMESPACE = 4;

    @TempDir
    Path tmp;

    @Test
    void shouldUploadCompactedSegmentsAndCommitMetaAndCatalogForEveryNamespace() {
        Topics topics = WorkerFixture.uniqueTopics("pipeline");
        String bucket = S3.newBucket();
        Map<String, Object> props = WorkerFixture.config(KAFKA, S3, topics, "pipeline", "w1", bucket, tmp);
        props.put("storage.profile.default.prefix", PREFIX);
        Map<String, List<SealedSegment>> published = segments(new Random(7));
        Map<String, Long> durableByCallback = new ConcurrentHashMap<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();

        try (Worker worker = Worker.start(new WorkerConfig(props));
             FathomStorage storage = FathomStorage.start(storageConfig(topics))) {
            for (int i = 0; i < SEGMENTS_PER_NAMESPACE; i++) {
                for (Map.Entry<String, List<SealedSegment>> e : published.entrySet()) {
                    String namespace = e.getKey();
                    storage.store(namespace, e.getValue().get(i), "default", (durable, failure) -> {
                        if (failure != null) {
                            failures.add(failure);
                        } else {
                            durableByCallback.merge(namespace, durable, Math::max);
                        }
                    });
                }
            }
            Await.until(Duration.ofSeconds(45), () -> durableByCallback.equals(lastEnds(published))
                    || !failures.isEmpty(), "every namespace to become durable up to its last segment");
            assertTrue(failures.isEmpty(), () -> "callbacks failed: " + failures);
            assertTrue(worker.isRunning(), "the worker keeps running");
        }

        assertObjectsHoldTheNewestPages(bucket, published);
        assertEquals(lastEnds(published), WorkerFixture.lastDurable(KAFKA, topics), "last meta record per namespace");
        assertOneCatalogRecordPerSegment(topics, bucket, published);
        assertTrue(WorkerFixture.deadLetters(KAFKA, topics).isEmpty(), "no dead letters");
    }

    @Test
    void shouldRetryThroughAnS3OutageWithoutLosingOrRefusingASegment() throws Exception {
        Topics topics = WorkerFixture.uniqueTopics("outage");
        String bucket = S3.newBucket();
        Map<String, Object> props = WorkerFixture.config(KAFKA, S3, topics, "outage", "w1", bucket, tmp);
        props.put("max.backlog.segments", "2"); // the worker pauses its partitions while S3 is down
        List<SealedSegment> segments = TestSegments.chain(6, 1, 10, 1024, 8, 1_700_000_000_000L, new Random(9));
        try (Worker worker = Worker.start(new WorkerConfig(props));
             ChunkPublisher publisher = new ChunkPublisher(KAFKA.bootstrapServers(), topics.segments())) {
            publisher.publish(TestChunks.of("outage-db", "default", segments.get(0), 1));
            Await.until(Duration.ofSeconds(30), () -> WorkerFixture.lastDurable(KAFKA, topics)
                    .getOrDefault("outage-db", 0L) == segments.get(0).endFrameNo(), "the first segment to be durable");
            S3.stop();
            try {
                for (SealedSegment segment : segments.subList(1, segments.size())) {
                    publisher.publish(TestChunks.of("outage-db", "default", segment, 2));
                }
                Await.until(Duration.ofSeconds(10), () -> WorkerFixture.segmentRecordCount(KAFKA, topics) == 11,
                        "all chunks to be published while S3 is down");
                assertEquals(segments.get(0).endFrameNo(), WorkerFixture.lastDurable(KAFKA, topics).get("outage-db"),
                        "nothing becomes durable while S3 is down");
            } finally {
                S3.start();
            }
            long last = segments.get(segments.size() - 1).endFrameNo();
            Await.until(Duration.ofSeconds(30), () -> WorkerFixture.lastDurable(KAFKA, topics)
                    .getOrDefault("outage-db", 0L) == last, "every segment to be durable once S3 is back");
            assertTrue(worker.isRunning(), "an S3 outage never stops the worker");
        }
        assertTrue(WorkerFixture.deadLetters(KAFKA, topics).isEmpty(), "an outage is not poison");
        assertEquals(2 * segments.size(), S3.listKeys(bucket, "").size(), "objects in the bucket");
    }

    private void assertObjectsHoldTheNewestPages(String bucket, Map<String, List<SealedSegment>> published) {
        Set<String> expectedKeys = new HashSet<>();
        published.forEach((namespace, segments) -> {
            for (SealedSegment segment : segments) {
                expectedKeys.add(ObjectKeys.dataKey(PREFIX, namespace, segment.id()));
                expectedKeys.add(ObjectKeys.indexKey(PREFIX, namespace, segment.id()));
                StoredSegmentCheck.assertStoredCompacted(S3, bucket, PREFIX, namespace, segment);
            }
        });
        assertEquals(expectedKeys, new HashSet<>(S3.listKeys(bucket, "")), "objects in the bucket");
    }

    private void assertOneCatalogRecordPerSegment(Topics topics, String bucket,
                                                  Map<String, List<SealedSegment>> published) {
        List<ConsumerRecord<String, SegmentInfo>> catalog = WorkerFixture.catalog(KAFKA, topics);
        int total = published.values().stream().mapToInt(List::size).sum();
        assertEquals(total, catalog.size(), "one catalog record per segment");
        assertEquals(total, catalog.stream().map(ConsumerRecord::key).distinct().count(), "catalog keys are unique");
        for (ConsumerRecord<String, SegmentInfo> record : catalog) {
            SegmentInfo info = record.value();
            assertEquals(info.getNamespace() + "/" + String.format("%020d", info.getEndFrameNo()), record.key());
            assertEquals(S3.get(bucket, info.getDataKey()).length, info.getDataSize(), info.getDataKey());
            assertEquals(S3.get(bucket, info.getIndexKey()).length, info.getIndexSize(), info.getIndexKey());
        }
    }

    private static Map<String, List<SealedSegment>> segments(Random random) {
        Map<String, List<SealedSegment>> segments = new LinkedHashMap<>();
        for (int n = 0; n < NAMESPACES; n++) {
            // 40 frames of 4 KiB pages: three chunks per segment at the smallest chunk size
            segments.put("db-" + n, TestSegments.chain(SEGMENTS_PER_NAMESPACE, 1, 40, 4096, 12,
                    1_700_000_000_000L + n, random));
        }
        return segments;
    }

    private static Map<String, Long> lastEnds(Map<String, List<SealedSegment>> published) {
        Map<String, Long> ends = new TreeMap<>();
        published.forEach((ns, segments) -> ends.put(ns, segments.get(segments.size() - 1).endFrameNo()));
        return ends;
    }

    private static FathomStorageConfig storageConfig(Topics topics) {
        Map<String, Object> props = WorkerFixture.storageConfig(KAFKA, topics, "node-1");
        props.put("chunk.max.bytes", Integer.toString(16 + 65536));
        return new FathomStorageConfig(props);
    }
}
