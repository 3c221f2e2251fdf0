package dev.fathom.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.SegmentChunk;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.TestSegments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox against a real, forked broker that is SIGKILLed and restarted: segments stored during an outage are
 * delivered in order afterwards, and a storage shut down with unpublished entries hands them to its successor.
 * Durable frames are written to the meta topic by the test, as a worker would after uploading.
 */
class OutboxAcrossBrokerOutageIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.forkedProcess();

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @TempDir
    Path outboxDir;

    private final Random random = new Random(17);
    private final StorageFixture.Outcomes outcomes = new StorageFixture.Outcomes();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        KAFKA.restart(); // a failed test may leave the broker down for the next one
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    private StorageFixture fixture(TestInfo test) {
        return new StorageFixture(KAFKA, test.getTestMethod().orElseThrow().getName());
    }

    private FathomStorage start(StorageFixture fixture) {
        Map<String, Object> props = fixture.config();
        props.put(FathomStorageConfig.OUTBOX_DIR_CONFIG, outboxDir.toString());
        props.put(FathomStorageConfig.CHUNK_MAX_BYTES_CONFIG, 65_552);
        // Fail fast while the broker is down, so that whole transactions fail, abort and are retried.
        props.put("kafka.producer.request.timeout.ms", 1000);
        props.put("kafka.producer.delivery.timeout.ms", 2000);
        props.put("kafka.producer.max.block.ms", 2000);
        FathomStorage storage = fixture.start(props);
        toClose.add(storage::forceShutdown);
        return storage;
    }

    @Test
    void shouldDeliverEverySegmentStoredDuringA30SecondOutageInOrder(TestInfo test) throws Exception {
        StorageFixture fixture = fixture(test);
        FathomStorage storage = start(fixture);
        List<SealedSegment> chain = TestSegments.chain(60, 1, 64, 4096, 200, 1_700_000_000_000L, random);

        KAFKA.kill();
        long outageStart = System.nanoTime();
        List<Long> storeNanos = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            // The application keeps writing through the outage: one segment every 500 ms for 30 s.
            LockSupport.parkNanos(outageStart + i * OUTAGE.toNanos() / chain.size() - System.nanoTime());
            SealedSegment segment = chain.get(i);
            long t0 = System.nanoTime();
            storage.store("db1", segment, "default", outcomes.callback("db1", segment.endFrameNo()));
            storeNanos.add(System.nanoTime() - t0);
        }
        long storedBytes = entryFiles().stream().mapToLong(OutboxAcrossBrokerOutageIT::size).sum();
        assertEquals(60, entryFiles().size(), "every stored segment is on disk while the broker is down");
        assertEquals(storedBytes, storage.outboxBytes());
        assertEquals(chain.get(59).endFrameNo(), storage.lastStoredFrameNo("db1"));
        LockSupport.parkNanos(outageStart + OUTAGE.toNanos() - System.nanoTime());
        assertTrue(storage.failedTransactions() >= 1, "publishing failed during the outage");
        KAFKA.restart();

        List<String> published = Await.value(WAIT, () -> firstSeen(fixture.segmentRecords(), "db1"),
                ids -> ids.size() == 60, "all 60 segments after the broker restarted");
        assertEquals(ids(chain), published, "every segment, in store order");
        durable(fixture, "db1", chain.get(59).endFrameNo());
        Await.until(WAIT, () -> outcomes.size() == 60, "all 60 callbacks");
        outcomes.all.forEach(o -> assertNull(o.failure(), o.toString()));
        assertEquals(chain.stream().map(SealedSegment::endFrameNo).toList(),
                outcomes.all.stream().map(StorageFixture.Outcome::endFrameNo).toList(), "callbacks in frame order");
        Await.until(WAIT, () -> entryFiles().isEmpty() && storage.outboxBytes() == 0, "an empty outbox");

        List<Long> sorted = storeNanos.stream().sorted().toList();
        System.out.printf("[outbox] store() with fsync while the broker was down: %d segments of %d KiB, p50 %.2f ms,"
                + " p99 %.2f ms, max %.2f ms; outbox held %d bytes%n", chain.size(),
                chain.get(0).frameBytes() / 1024, sorted.get(29) / 1e6, sorted.get(59) / 1e6, sorted.get(59) / 1e6,
                storedBytes);
    }

    @Test
    void shouldHandUnpublishedEntriesToTheNextStorageWithoutDuplicates(TestInfo test) throws Exception {
        StorageFixture fixture = fixture(test);
        List<SealedSegment> a = TestSegments.chain(6, 1, 30, 4096, 50, 1_700_000_000_000L, random);
        List<SealedSegment> b = TestSegments.chain(3, 1, 30, 4096, 50, 1_700_000_000_000L, random);
        FathomStorage first = start(fixture);
        for (int i = 0; i < 3; i++) {
            first.store("db-a", a.get(i), "default", outcomes.callback("db-a", a.get(i).endFrameNo()));
        }
        first.store("db-b", b.get(0), "default", outcomes.callback("db-b", b.get(0).endFrameNo()));
        Await.until(WAIT, () -> firstSeen(fixture.segmentRecords(), "db-a").size() == 3
                && firstSeen(fixture.segmentRecords(), "db-b").size() == 1, "a1..a3 and b1 published");
        durable(fixture, "db-a", a.get(1).endFrameNo());
        Await.until(WAIT, () -> outcomes.size() == 2 && entryFiles().size() == 2, "a1, a2 durable and deleted");

        // The broker dies, the node stores more, then the process stops without publishing them.
        KAFKA.kill();
        first.store("db-a", a.get(3), "default", outcomes.callback("db-a", a.get(3).endFrameNo()));
        first.store("db-a", a.get(4), "default", outcomes.callback("db-a", a.get(4).endFrameNo()));
        first.store("db-b", b.get(1), "default", outcomes.callback("db-b", b.get(1).endFrameNo()));
        first.forceShutdown();
        Await.until(WAIT, () -> outcomes.size() == 7, "every callback of the first storage");
        outcomes.all.subList(2, 7).forEach(o -> assertInstanceOf(StorageShutdownException.class, o.failure()));
        assertEquals(5, entryFiles().size(), "a3, a4, a5, b1, b2 stay in the outbox");

        // Meanwhile a worker made a3 durable; the next storage skips it, and replays b1 (published, not durable).
        KAFKA.restart();
        durable(fixture, "db-a", a.get(2).endFrameNo());
        outcomes.all.clear();
        FathomStorage second = start(fixture);
        assertEquals(a.get(4).endFrameNo(), second.lastStoredFrameNo("db-a"), "resume after a5 found in the outbox");
        assertEquals(b.get(1).endFrameNo(), second.lastStoredFrameNo("db-b"));
        assertEquals(4, entryFiles().size(), "a3 was deleted as durable");
        second.store("db-a", a.get(5), "default", outcomes.callback("db-a", a.get(5).endFrameNo()));
        second.store("db-b", b.get(2), "default", outcomes.callback("db-b", b.get(2).endFrameNo()));

        List<ConsumerRecord<String, SegmentChunk>> records = Await.value(WAIT, fixture::segmentRecords,
                r -> firstSeen(r, "db-a").size() == 6 && firstSeen(r, "db-b").size() == 3, "a6 and b3 published");
        assertEquals(chunks(a, 0, 1, 2, 3, 4, 5), chunksOf(records, "db-a"),
                "db-a exactly once each: a3 was durable, so not replayed");
        assertEquals(chunks(b, 0, 0, 1, 2), chunksOf(records, "db-b"),
                "db-b: b1 replayed once (published but not durable before the crash; workers acknowledge it)");

        durable(fixture, "db-a", a.get(5).endFrameNo());
        durable(fixture, "db-b", b.get(2).endFrameNo());
        Await.until(WAIT, () -> outcomes.size() == 2 && entryFiles().isEmpty() && second.outboxBytes() == 0,
                "callbacks of a6 and b3, and an empty outbox");
        outcomes.all.forEach(o -> assertNull(o.failure(), o.toString()));
    }

    private List<Path> entryFiles() {
        try (Stream<Path> files = Files.list(outboxDir)) {
            return files.filter(p -> p.toString().endsWith(".entry")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void durable(StorageFixture fixture, String namespace, long durableFrameNo) throws Exception {
        DurableFrameWriter.write(KAFKA, fixture.topics.meta(), namespace, durableFrameNo);
    }

    /** Returns {@code <segment id>#<chunk index>} for the given segments in the given order, chunked as published. */
    private static List<String> chunks(List<SealedSegment> chain, int... order) {
        SegmentChunker chunker = new SegmentChunker(65_552, "test");
        List<String> out = new ArrayList<>();
        for (int i : order) {
            chunker.chunk("ns", "default", chain.get(i))
                    .forEach(c -> out.add(c.getSegmentId() + "#" + c.getChunkIndex()));
        }
        return out;
    }

    private static List<String> chunksOf(List<ConsumerRecord<String, SegmentChunk>> records, String namespace) {
        return records.stream().filter(r -> r.key().equals(namespace))
                .map(r -> r.value().getSegmentId() + "#" + r.value().getChunkIndex()).collect(Collectors.toList());
    }

    private static List<String> ids(List<SealedSegment> segments) {
        return segments.stream().map(s -> s.id().format()).collect(Collectors.toList());
    }

    private static List<String> firstSeen(List<ConsumerRecord<String, SegmentChunk>> records, String namespace) {
        return records.stream().filter(r -> r.key().equals(namespace) && r.value().getChunkIndex() == 0)
                .map(r -> r.value().getSegmentId()).distinct().collect(Collectors.toList());
    }
}
