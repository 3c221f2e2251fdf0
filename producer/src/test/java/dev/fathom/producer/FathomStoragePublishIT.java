package dev.fathom.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.InvalidNamespaceException;
import dev.fathom.schemas.SegmentChunk;
import dev.fathom.schemas.format.Frame;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.schemas.format.SegmentFrames;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.TestSegments;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

class FathomStoragePublishIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.singleNode();

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Random random = new Random(42);
    private final StorageFixture.Outcomes outcomes = new StorageFixture.Outcomes();
    private final List<FathomStorage> started = new ArrayList<>();
    private StorageFixture fixture;

    private FathomStorage start(TestInfo test, Map<String, Object> overrides) {
        fixture = new StorageFixture(KAFKA, test.getTestMethod().orElseThrow().getName());
        Map<String, Object> props = fixture.config();
        props.putAll(overrides);
        FathomStorage storage = fixture.start(props);
        started.add(storage);
        return storage;
    }

    @AfterEach
    void stopStorages() {
        started.forEach(FathomStorage::forceShutdown);
    }

    @Test
    void shouldPublishEverySegmentAsOrderedDecodableChunksPerNamespace(TestInfo test) {
        FathomStorage storage = start(test, Map.of(FathomStorageConfig.CHUNK_MAX_BYTES_CONFIG, 65_552));
        List<SealedSegment> a = TestSegments.chain(5, 1, 40, 4096, 100, 1_700_000_000_000L, random);
        List<SealedSegment> b = TestSegments.chain(5, 1, 20, 1024, 50, 1_700_000_000_000L, random);
        for (int i = 0; i < 5; i++) {
            storage.store("db-a", a.get(i), "default", outcomes.callback("db-a", a.get(i).endFrameNo()));
            storage.store("db-b", b.get(i), "cold", outcomes.callback("db-b", b.get(i).endFrameNo()));
        }

        List<ConsumerRecord<String, SegmentChunk>> records = Await.value(WAIT, fixture::segmentRecords,
                r -> segmentsIn(r).size() == 10, "all 10 segments on " + fixture.topics.segments());

        assertPublishedInOrder(records, "db-a", "default", a);
        assertPublishedInOrder(records, "db-b", "cold", b);
        assertEquals(0, outcomes.size(), "no worker runs, so nothing is durable yet");
    }

    @Test
    void shouldPublishA40MibSegmentAsChunksOfOneTransaction(TestInfo test) {
        FathomStorage storage = start(test, Map.of());
        SealedSegment big = TestSegments.random(1, 10_240, 4096, 5000, 1_700_000_000_000L, random);
        storage.store("big", big, "default", outcomes.callback("big", big.endFrameNo()));

        List<ConsumerRecord<String, SegmentChunk>> records = Await.value(WAIT, fixture::segmentRecords,
                r -> !r.isEmpty(), "the first committed chunk of the 40 MiB segment");

        // read_committed: the first visible chunk means its transaction committed, so all must be visible now.
        assertTrue(records.size() >= 40, "got " + records.size() + " chunks");
        assertPublishedInOrder(records, "big", "default", List.of(big));
        for (int i = 1; i < records.size(); i++) {
            assertEquals(records.get(i - 1).offset() + 1, records.get(i).offset(),
                    "contiguous offsets: no transaction marker between chunks, so one transaction");
        }
        records.forEach(r -> assertTrue(r.value().getFrames().remaining() <= 1024 * 1024));
    }

    @Test
    void shouldFailEveryUnconfirmedCallbackOnForceShutdown(TestInfo test) {
        FathomStorage storage = start(test, Map.of());
        List<SealedSegment> segments = TestSegments.chain(30, 1, 100, 4096, 500, 1L, random);
        segments.forEach(s -> storage.store("db1", s, "default", outcomes.callback("db1", s.endFrameNo())));

        long t0 = System.nanoTime();
        storage.forceShutdown();
        long tookMs = (System.nanoTime() - t0) / 1_000_000;

        Await.until(WAIT, () -> outcomes.size() == 30, "all 30 callbacks to run");
        for (StorageFixture.Outcome outcome : outcomes.all) {
            assertInstanceOf(StorageShutdownException.class, outcome.failure(), outcome.toString());
        }
        assertEquals(30, outcomes.all.stream().map(StorageFixture.Outcome::endFrameNo).distinct().count(),
                "each callback ran exactly once");
        assertTrue(tookMs < 15_000, "forceShutdown took " + tookMs + " ms");
        assertThrows(IllegalStateException.class, () -> storage.store("db1",
                TestSegments.random(3001, 1, 4096, 1, 1L, random), "default", (d, f) -> { }));
    }

    @Test
    void shouldPublishQueuedSegmentsOnShutdownThenFailThoseNotConfirmedInTime(TestInfo test) {
        FathomStorage storage = start(test, Map.of(FathomStorageConfig.SHUTDOWN_TIMEOUT_MS_CONFIG, 1500));
        List<SealedSegment> segments = TestSegments.chain(10, 1, 50, 4096, 100, 1L, random);
        segments.forEach(s -> storage.store("db1", s, "default", outcomes.callback("db1", s.endFrameNo())));

        storage.shutdown();

        assertEquals(10, segmentsIn(fixture.segmentRecords()).size(), "every queued segment was published");
        Await.until(WAIT, () -> outcomes.size() == 10, "all 10 callbacks to run");
        outcomes.all.forEach(o -> assertInstanceOf(StorageShutdownException.class, o.failure(), o.toString()));
        assertTrue(outcomes.all.get(0).failure().getMessage().contains("shutdown.timeout.ms"));
        assertThrows(IllegalStateException.class, () -> storage.store("db1", segments.get(0), "default",
                (d, f) -> { }));
    }

    @Test
    void shouldRejectInvalidInputBeforeQueueing(TestInfo test) {
        FathomStorage storage = start(test, Map.of());
        SealedSegment segment = TestSegments.random(1, 1, 512, 1, 1L, random);

        assertThrows(InvalidNamespaceException.class, () -> storage.store("../etc", segment, "default",
                (d, f) -> { }));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> storage.store("db1", segment, "a/b", (d, f) -> { }));
        assertTrue(e.getMessage().contains("profile") && e.getMessage().contains("db1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> storage.store("db1", segment, "", (d, f) -> { }));
        assertThrows(InvalidNamespaceException.class, () -> storage.durableFrameNo(".."));
        assertEquals(0, storage.durableFrameNo("db1"));
    }

    @Test
    void shouldStopAndFailCallbacksWhenAnotherInstanceTakesOverTheNodeId(TestInfo test) {
        FathomStorage first = start(test, Map.of());
        Map<String, Object> same = fixture.config();
        FathomStorage second = fixture.start(same);
        started.add(second);
        SealedSegment segment = TestSegments.random(1, 10, 4096, 10, 1L, random);

        first.store("db1", segment, "default", outcomes.callback("db1", segment.endFrameNo()));

        Await.until(WAIT, () -> outcomes.size() == 1, "the fenced instance to fail the callback");
        Throwable failure = outcomes.all.get(0).failure();
        assertTrue(PublishFailures.isFatal(failure), "fatal failure expected, got " + failure);
        assertThrows(IllegalStateException.class, () -> first.store("db1", segment, "default", (d, f) -> { }));
        assertEquals(0, segmentsIn(fixture.segmentRecords()).size(), "the fenced instance committed nothing");
    }

    /** Asserts the namespace's chunks: keyed by it, on one partition, whole segments in store order, intact. */
    private static void assertPublishedInOrder(List<ConsumerRecord<String, SegmentChunk>> records, String namespace,
            String profile, List<SealedSegment> stored) {
        List<ConsumerRecord<String, SegmentChunk>> mine = records.stream()
                .filter(r -> r.key().equals(namespace)).collect(Collectors.toList());
        assertEquals(1, mine.stream().map(ConsumerRecord::partition).distinct().count(), "one partition");
        Map<String, List<SegmentChunk>> bySegment = new LinkedHashMap<>();
        mine.forEach(r -> bySegment.computeIfAbsent(r.value().getSegmentId(), k -> new ArrayList<>()).add(r.value()));
        assertEquals(stored.stream().map(s -> s.id().format()).collect(Collectors.toList()),
                new ArrayList<>(bySegment.keySet()), "segments in store order");
        for (SealedSegment segment : stored) {
            List<SegmentChunk> chunks = bySegment.get(segment.id().format());
            for (int i = 0; i < chunks.size(); i++) {
                SegmentChunk chunk = chunks.get(i);
                assertEquals(i, chunk.getChunkIndex(), "chunk order");
                assertEquals(chunks.size(), chunk.getChunkCount(), "all chunks present");
                assertEquals(namespace, chunk.getNamespace());
                assertEquals(profile, chunk.getProfile());
                assertEquals(SegmentChunkerTest.crc32c(SegmentChunkerTest.bytes(chunk.getFrames())),
                        chunk.getFramesCrc32c());
            }
            byte[] payload = SegmentChunkerTest.concat(chunks);
            assertEquals(SegmentChunkerTest.crc32c(payload), chunks.get(0).getSegmentCrc32c());
            List<Frame> frames = SegmentFrames.decode(ByteBuffer.wrap(payload), segment.pageSize(), namespace);
            assertEquals(segment, SealedSegment.of(chunks.get(0).getPageSize(), chunks.get(0).getSealedAtMs(), frames));
        }
    }

    private static Map<String, List<SegmentChunk>> segmentsIn(List<ConsumerRecord<String, SegmentChunk>> records) {
        Map<String, List<SegmentChunk>> bySegment = new LinkedHashMap<>();
        records.forEach(r -> bySegment.computeIfAbsent(r.key() + "/" + r.value().getSegmentId(),
                k -> new ArrayList<>()).add(r.value()));
        return bySegment;
    }
}
