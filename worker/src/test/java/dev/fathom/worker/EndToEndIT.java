package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fathom.producer.FathomStorage;
import dev.fathom.producer.FathomStorageConfig;
import dev.fathom.schemas.FathomSerdes;
import dev.fathom.schemas.SegmentChunk;
import dev.fathom.schemas.Topics;
import dev.fathom.schemas.format.ObjectKeys;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.schemas.format.SegmentFrames;
import dev.fathom.schemas.format.SegmentId;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.S3Server;
import dev.fathom.testkit.TestSegments;
import dev.fathom.worker.MetaHttp.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core pipeline end to end on a real broker and a real S3 API: two FathomStorage nodes publish to a 4-partition
 * segments topic, two workers in one group compact and upload, durable frames come back to the nodes' callbacks, and
 * both workers' HTTP APIs answer the same. The workers and nodes are shared by the tests of this class.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EndToEndIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.singleNode();
    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String PREFIX = "e2e";
    private static final String GROUP = "e2e-workers";
    private static final int SEGMENTS = 50;
    private static final long SEALED_AT_MS = 1_764_000_000_000L;
    private static final double MIB = 1024.0 * 1024;

    @TempDir
    static Path stateRoot;

    private static final List<Worker> WORKERS = new ArrayList<>();
    private static final List<String> TIMINGS = new CopyOnWriteArrayList<>();
    private static long classStart;
    private static Topics topics;
    private static String bucket;
    private static String bigBucket;
    private static FathomStorage nodeA;
    private static FathomStorage nodeB;

    /** One callback invocation for segment {@code index} of a namespace. */
    private record Completion(int index, long durableFrameNo, Throwable failure) {
    }

    @BeforeAll
    static void startTwoWorkersAndTwoNodes() {
        classStart = System.nanoTime();
        topics = WorkerFixture.uniqueTopics("e2e");
        bucket = S3.newBucket();
        bigBucket = S3.newBucket();
        WORKERS.add(Worker.start(workerConfig("w1")));
        WORKERS.add(Worker.start(workerConfig("w2")));
        // node A cuts chunks at the smallest size (several per segment), node B at the default 1 MiB
        nodeA = FathomStorage.start(nodeConfig("node-a", SegmentFrames.recordSize(65536)));
        nodeB = FathomStorage.start(nodeConfig("node-b", FathomStorageConfig.CHUNK_MAX_BYTES_DEFAULT));
        Await.until(TIMEOUT, () -> WORKERS.stream().allMatch(w -> w.meta().isRunning()),
                "both workers' meta services to be RUNNING");
    }

    @AfterAll
    static void stopEverything() {
        for (FathomStorage node : new FathomStorage[] {nodeA, nodeB}) {
            if (node != null) {
                node.close();
            }
        }
        WORKERS.forEach(Worker::close);
        System.out.printf("EndToEndIT: %s; class %.1f s%n", String.join("; ", TIMINGS),
                (System.nanoTime() - classStart) / 1e9);
    }

    @Test
    void shouldMakeEverySegmentDurableAndQueryableThroughTwoWorkersFromTwoNodes() throws Exception {
        List<String> namespaces = WorkerFixture.namespacesOnDistinctPartitions("tenant-", 3);
        Random random = new Random(20_251_124);
        Map<String, List<SealedSegment>> published = new LinkedHashMap<>();
        // Heavy page reuse (32 frames over 8 pages), little reuse (16 frames over 64 pages), and small pages with
        // a truncating commit every fifth segment, so compaction both drops old versions and cuts beyond size_after.
        published.put(namespaces.get(0), TestSegments.chain(SEGMENTS, 1, 32, 4096, 8, SEALED_AT_MS, random));
        published.put(namespaces.get(1), TestSegments.chain(SEGMENTS, 1, 16, 4096, 64, SEALED_AT_MS, random));
        published.put(namespaces.get(2), WorkerFixture.truncatingEvery(5,
                TestSegments.chain(SEGMENTS, 1, 40, 1024, 24, SEALED_AT_MS, random)));
        Map<String, List<Completion>> completions = new LinkedHashMap<>();
        namespaces.forEach(ns -> completions.put(ns, new CopyOnWriteArrayList<>())); // in completion order

        long start = System.nanoTime();
        storeFromTwoThreads(published, completions);
        Await.until(TIMEOUT, () -> allCompletedOrOneFailed(completions),
                "every callback of the " + 3 * SEGMENTS + " segments to complete");
        double seconds = (System.nanoTime() - start) / 1e9;

        assertCallbacksCompletedInStoreOrder(published, completions);
        assertBothWorkersConsumeTheSegmentsTopic();
        long dataBytes = assertBucketHoldsEveryCompactedSegment(published);
        assertDurableFrameIsTheLastEndEverywhere(published);
        assertBothWorkersAnswerTheSame(published);
        assertTrue(WorkerFixture.deadLetters(KAFKA, topics).isEmpty(), "no dead letters");
        double mib = published.values().stream().flatMap(List::stream).mapToLong(SealedSegment::frameBytes).sum() / MIB;
        TIMINGS.add(String.format("%d segments (%.1f MiB of frames, %.1f MiB compacted) durable in %.1f s",
                3 * SEGMENTS, mib, dataBytes / MIB, seconds));
    }

    @Test
    void shouldCarryA40MiBSegmentThroughTheWholePipeline() {
        String namespace = "big-db";
        // 10 240 frames of 4 KiB pages over 8 192 page numbers: 40 MiB in, about 23 MiB compacted.
        SealedSegment segment = TestSegments.random(1, 10_240, 4096, 8192, SEALED_AT_MS, new Random(40));
        List<Completion> completions = new CopyOnWriteArrayList<>();

        long start = System.nanoTime();
        nodeB.store(namespace, segment, "big",
                (durable, failure) -> completions.add(new Completion(0, durable, failure)));
        Await.until(TIMEOUT, () -> !completions.isEmpty(), "the 40 MiB segment's callback to complete");
        double seconds = (System.nanoTime() - start) / 1e9;

        Completion completion = completions.get(0);
        assertNull(completion.failure(), () -> "the callback failed: " + completion.failure());
        assertEquals(segment.endFrameNo(), completion.durableFrameNo(), "durable frame reported to the callback");
        assertEquals(segment.endFrameNo(), nodeB.durableFrameNo(namespace), "FathomStorage.durableFrameNo");
        List<SegmentChunk> chunks = KAFKA.readAll(topics.segments(), new StringDeserializer(),
                FathomSerdes.segmentChunk().deserializer()).stream()
                .filter(r -> namespace.equals(r.key())).map(ConsumerRecord::value).toList();
        assertTrue(chunks.size() >= 40, "the segment travelled in at least 40 chunks, got " + chunks.size());
        assertTrue(chunks.stream().allMatch(c -> c.getChunkCount() == chunks.size()), "chunk count of every chunk");
        assertEquals(2, S3.listKeys(bigBucket, "").size(), "objects in the 'big' profile's bucket");
        long dataBytes = StoredSegmentCheck.assertStoredCompacted(S3, bigBucket, "", namespace, segment);
        TIMINGS.add(String.format("1 segment of %.1f MiB (%d chunks, %.1f MiB compacted) durable in %.1f s",
                segment.frameBytes() / MIB, chunks.size(), dataBytes / MIB, seconds));
    }

    /** Node A stores namespaces 0 and 2, node B namespace 1; one thread interleaves 0 and 1, another stores 2. */
    private static void storeFromTwoThreads(Map<String, List<SealedSegment>> published,
                                            Map<String, List<Completion>> completions) throws Exception {
        List<String> ns = new ArrayList<>(published.keySet());
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> first = threads.submit(() -> IntStream.range(0, SEGMENTS).forEach(i -> {
                store(nodeA, ns.get(0), i, published, completions);
                store(nodeB, ns.get(1), i, published, completions);
            }));
            Future<?> second = threads.submit(() -> IntStream.range(0, SEGMENTS)
                    .forEach(i -> store(nodeA, ns.get(2), i, published, completions)));
            first.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            second.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
    }

    private static void store(FathomStorage node, String namespace, int index,
                              Map<String, List<SealedSegment>> published, Map<String, List<Completion>> completions) {
        node.store(namespace, published.get(namespace).get(index), "default",
                (durable, failure) -> completions.get(namespace).add(new Completion(index, durable, failure)));
    }

    private static void assertCallbacksCompletedInStoreOrder(Map<String, List<SealedSegment>> published,
                                                             Map<String, List<Completion>> completions) {
        completions.forEach((namespace, done) -> {
            List<SealedSegment> segments = published.get(namespace);
            done.forEach(c -> assertNull(c.failure(), () -> namespace + " segment " + c.index() + " failed: "
                    + c.failure()));
            assertEquals(IntStream.range(0, SEGMENTS).boxed().toList(), done.stream().map(Completion::index).toList(),
                    "callbacks of " + namespace + " in store order");
            for (int i = 0; i < done.size(); i++) {
                long durable = done.get(i).durableFrameNo();
                assertTrue(durable >= segments.get(i).endFrameNo(), namespace + " segment " + i + " reported durable"
                        + " frame " + durable + " below its end " + segments.get(i).endFrameNo());
                assertTrue(i == 0 || durable >= done.get(i - 1).durableFrameNo(),
                        namespace + " durable frames reported out of order at segment " + i);
            }
        });
    }

    /** Both workers are members of the group and own partitions of the segments topic (a stable assignment). */
    private static void assertBothWorkersConsumeTheSegmentsTopic() {
        Await.<List<Long>>value(TIMEOUT, () -> WorkerFixture.partitionsPerMember(KAFKA, GROUP, topics.segments()),
                owned -> owned.size() == 2 && owned.stream().allMatch(n -> n > 0),
                "both members of group " + GROUP + " to own partitions of " + topics.segments());
    }

    /** Checks every segment's objects page by page; returns the total size of the data objects. */
    private static long assertBucketHoldsEveryCompactedSegment(Map<String, List<SealedSegment>> published) {
        Set<String> keys = new HashSet<>(S3.listKeys(bucket, ""));
        assertEquals(2 * 3 * SEGMENTS, keys.size(), "objects in the bucket");
        long dataBytes = 0;
        for (Map.Entry<String, List<SealedSegment>> e : published.entrySet()) {
            for (SealedSegment segment : e.getValue()) {
                assertTrue(keys.containsAll(List.of(ObjectKeys.dataKey(PREFIX, e.getKey(), segment.id()),
                        ObjectKeys.indexKey(PREFIX, e.getKey(), segment.id()))), "objects of " + segment.id());
                dataBytes += StoredSegmentCheck.assertStoredCompacted(S3, bucket, PREFIX, e.getKey(), segment);
            }
        }
        return dataBytes;
    }

    private static void assertDurableFrameIsTheLastEndEverywhere(Map<String, List<SealedSegment>> published) {
        published.forEach((namespace, segments) -> {
            long last = segments.get(segments.size() - 1).endFrameNo();
            for (FathomStorage node : List.of(nodeA, nodeB)) { // every node follows every namespace's durable frame
                Await.until(TIMEOUT, () -> node.durableFrameNo(namespace) == last,
                        "FathomStorage.durableFrameNo(" + namespace + ") to be " + last);
            }
            for (Worker worker : WORKERS) {
                Reply reply = MetaHttp.get(worker.meta().httpAddress(), "/v1/namespaces/" + namespace);
                assertEquals(200, reply.status(), reply.json().toString());
                assertEquals(last, reply.json().path("durableFrameNo").asLong(), "durableFrameNo over HTTP");
            }
        });
    }

    private static void assertBothWorkersAnswerTheSame(Map<String, List<SealedSegment>> published) {
        int forwarded = 0;
        for (Map.Entry<String, List<SealedSegment>> e : published.entrySet()) {
            String namespace = e.getKey();
            List<String> ids = e.getValue().stream().map(s -> s.id().format()).toList();
            for (String path : List.of("/v1/namespaces/" + namespace, "/v1/namespaces/" + namespace + "/segments")) {
                List<Reply> replies = new ArrayList<>();
                for (int w = 0; w < WORKERS.size(); w++) {
                    Reply reply = settledReply(WORKERS.get(w), path, ids);
                    replies.add(reply);
                    forwarded += reply.servedBy().equals("w" + (w + 1)) ? 0 : 1;
                }
                assertEquals(replies.get(0).json(), replies.get(1).json(), "both workers answer " + path + " alike");
            }
            settledReply(WORKERS.get(0), "/v1/namespaces/" + namespace + "/segments", ids).json().get("segments")
                    .forEach(s -> assertEquals(ObjectKeys.dataKey(PREFIX, namespace,
                            SegmentId.parse(s.get("segmentId").asText())), s.get("dataKey").asText(), "data key"));
        }
        assertTrue(forwarded > 0, "at least one answer was forwarded to the owning worker");
    }

    /**
     * Asks {@code worker} until the answer reflects the whole catalog: the namespace document's last segment is
     * the last one stored (with its catalog fields), or the segment list holds exactly {@code ids}, in frame order.
     */
    private static Reply settledReply(Worker worker, String path, List<String> ids) {
        return Await.value(TIMEOUT, () -> MetaHttp.get(worker.meta().httpAddress(), path), reply -> {
            JsonNode json = reply.json();
            if (reply.status() != 200) {
                return false;
            }
            if (json.has("segments")) {
                List<String> listed = new ArrayList<>();
                json.get("segments").forEach(s -> listed.add(s.get("segmentId").asText()));
                return listed.equals(ids);
            }
            JsonNode last = json.path("lastSegment");
            return last.path("segmentId").asText().equals(ids.get(ids.size() - 1)) && last.has("dataKey");
        }, path + " on worker " + worker.meta().httpAddress() + " to list all " + ids.size() + " segments");
    }

    private static boolean allCompletedOrOneFailed(Map<String, List<Completion>> completions) {
        List<Completion> all = completions.values().stream().flatMap(List::stream).toList();
        return all.size() == 3 * SEGMENTS || all.stream().anyMatch(c -> c.failure() != null);
    }

    private static WorkerConfig workerConfig(String workerId) {
        Map<String, Object> props = WorkerFixture.config(KAFKA, S3, topics, GROUP, workerId, bucket, stateRoot);
        props.put("storage.profile.default.prefix", PREFIX);
        WorkerFixture.addProfile(props, "big", bigBucket); // another bucket, no prefix: for the large segment
        return new WorkerConfig(props);
    }

    private static FathomStorageConfig nodeConfig(String nodeId, int chunkMaxBytes) {
        Map<String, Object> props = WorkerFixture.storageConfig(KAFKA, topics, nodeId);
        props.put("chunk.max.bytes", Integer.toString(chunkMaxBytes));
        return new FathomStorageConfig(props);
    }
}
