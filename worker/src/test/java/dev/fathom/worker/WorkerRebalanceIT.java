package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.producer.FathomStorage;
import dev.fathom.producer.FathomStorageConfig;
import dev.fathom.schemas.DurableFrame;
import dev.fathom.schemas.Topics;
import dev.fathom.schemas.format.ObjectKeys;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.schemas.format.SegmentId;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.S3Server;
import dev.fathom.testkit.TestSegments;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class WorkerRebalanceIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.singleNode();
    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final int PARTITIONS = 6;
    private static final int NAMESPACES = 12;
    private static final int WAVES = 3;
    private static final int SEGMENTS_PER_WAVE = 3;

    @TempDir
    Path tmp;

    private final Map<String, Long> durable = new ConcurrentHashMap<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    @Test
    void shouldMakeEverySegmentDurableOnceWhileWorkersJoinAndLeave() {
        Topics topics = WorkerFixture.uniqueTopics("rebalance");
        String bucket = S3.newBucket();
        Map<String, List<SealedSegment>> published = segments(new Random(3));
        List<Worker> workers = new ArrayList<>();
        try (FathomStorage storage = FathomStorage.start(storageConfig(topics))) {
            workers.add(Worker.start(config(topics, bucket, "w1")));
            workers.add(Worker.start(config(topics, bucket, "w2")));
            publishWave(storage, published, 0);
            awaitDurable(published, 1, "the first wave to start becoming durable on two workers");

            workers.add(Worker.start(config(topics, bucket, "w3"))); // joins mid-stream
            publishWave(storage, published, 1);
            awaitDurable(published, SEGMENTS_PER_WAVE + 1, "the second wave to start becoming durable");

            workers.remove(0).close(); // leaves mid-stream: its partitions move to w2 and w3
            publishWave(storage, published, 2);
            awaitDurable(published, WAVES * SEGMENTS_PER_WAVE, "every segment to become durable");
            assertTrue(failures.isEmpty(), () -> "callbacks failed: " + failures);
            workers.forEach(w -> assertTrue(w.isRunning(), "worker keeps running"));
        } finally {
            workers.forEach(Worker::close);
        }

        assertEquals(lastEnds(published), WorkerFixture.lastDurable(KAFKA, topics), "last durable frame per namespace");
        assertDurableNeverDecreased(topics);
        assertEachSegmentUploadedUnderOneKey(bucket, published);
        int total = NAMESPACES * WAVES * SEGMENTS_PER_WAVE;
        assertEquals(total, WorkerFixture.catalog(KAFKA, topics).size(), "one catalog record per segment");
    }

    private void assertDurableNeverDecreased(Topics topics) {
        Map<String, List<Long>> sequence = new TreeMap<>();
        for (DurableFrame frame : WorkerFixture.metaRecords(KAFKA, topics)) {
            sequence.computeIfAbsent(frame.getNamespace(), ns -> new ArrayList<>()).add(frame.getDurableFrameNo());
        }
        sequence.forEach((namespace, frames) -> {
            for (int i = 1; i < frames.size(); i++) {
                assertTrue(frames.get(i) > frames.get(i - 1), "durable frames of " + namespace + " in commit order"
                        + " must only increase: " + frames);
            }
            assertEquals(WAVES * SEGMENTS_PER_WAVE, frames.size(), "one meta record per segment of " + namespace);
        });
    }

    private void assertEachSegmentUploadedUnderOneKey(String bucket, Map<String, List<SealedSegment>> published) {
        List<String> keys = S3.listKeys(bucket, "");
        Map<String, Long> perStart = keys.stream().collect(Collectors.groupingBy(key -> {
            SegmentId id = ObjectKeys.parseSegmentKey(key).orElseThrow();
            return key.substring(0, key.indexOf('/')) + "@" + id.startFrameNo() + key.substring(key.length() - 4);
        }, Collectors.counting()));
        perStart.forEach((start, count) -> assertEquals(1L, count, "one object per (namespace, start, kind): " + start));
        published.forEach((namespace, segments) -> segments.forEach(segment -> {
            assertTrue(keys.contains(ObjectKeys.dataKey("", namespace, segment.id())), segment.id().format());
            assertTrue(keys.contains(ObjectKeys.indexKey("", namespace, segment.id())), segment.id().format());
        }));
        assertEquals(2 * NAMESPACES * WAVES * SEGMENTS_PER_WAVE, keys.size(), "objects in the bucket");
    }

    private void publishWave(FathomStorage storage, Map<String, List<SealedSegment>> published, int wave) {
        for (int i = wave * SEGMENTS_PER_WAVE; i < (wave + 1) * SEGMENTS_PER_WAVE; i++) {
            for (Map.Entry<String, List<SealedSegment>> e : published.entrySet()) {
                String namespace = e.getKey();
                storage.store(namespace, e.getValue().get(i), "default", (frame, failure) -> {
                    if (failure != null) {
                        failures.add(failure);
                    } else {
                        durable.merge(namespace, frame, Math::max);
                    }
                });
            }
        }
    }

    /** Waits until every namespace is durable up to the end of its {@code segments}-th segment. */
    private void awaitDurable(Map<String, List<SealedSegment>> published, int segments, String what) {
        Map<String, Long> target = new TreeMap<>();
        published.forEach((ns, list) -> target.put(ns, list.get(segments - 1).endFrameNo()));
        Await.until(Duration.ofSeconds(40), () -> !failures.isEmpty()
                || target.entrySet().stream().allMatch(e -> durable.getOrDefault(e.getKey(), 0L) >= e.getValue()),
                what);
    }

    private WorkerConfig config(Topics topics, String bucket, String workerId) {
        Map<String, Object> props = WorkerFixture.config(KAFKA, S3, topics, "rebalance", workerId, bucket, tmp);
        props.put("topic.partitions", Integer.toString(PARTITIONS));
        props.put("max.in.flight.jobs", "2");
        return new WorkerConfig(props);
    }

    private static Map<String, List<SealedSegment>> segments(Random random) {
        Map<String, List<SealedSegment>> segments = new LinkedHashMap<>();
        for (int n = 0; n < NAMESPACES; n++) {
            segments.put("ns" + n, TestSegments.chain(WAVES * SEGMENTS_PER_WAVE, 1, 10, 512, 8,
                    1_700_000_000_000L, random));
        }
        return segments;
    }

    private static Map<String, Long> lastEnds(Map<String, List<SealedSegment>> published) {
        Map<String, Long> ends = new TreeMap<>();
        published.forEach((ns, list) -> ends.put(ns, list.get(list.size() - 1).endFrameNo()));
        return ends;
    }

    private static FathomStorageConfig storageConfig(Topics topics) {
        Map<String, Object> props = WorkerFixture.storageConfig(KAFKA, topics, "node-r");
        props.put("topic.partitions", Integer.toString(PARTITIONS));
        return new FathomStorageConfig(props);
    }
}
