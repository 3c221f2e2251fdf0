package dev.fathom.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.producer.outbox.OutboxEntryFormat;
import dev.fathom.schemas.format.CorruptSegmentException;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A bounded outbox: full means store() fails or blocks as configured, until durable segments leave it. */
class OutboxBoundIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.singleNode();

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path outboxDir;

    private final Random random = new Random(23);
    private final List<SealedSegment> chain = TestSegments.chain(3, 1, 20, 4096, 50, 1_700_000_000_000L, random);
    private final long entryBytes = OutboxEntryFormat.fileSize("db1", "default", chain.get(0));
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private StorageFixture fixture;

    @BeforeEach
    void createFixture(TestInfo test) {
        fixture = new StorageFixture(KAFKA, test.getTestMethod().orElseThrow().getName());
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    private FathomStorage start(Map<String, Object> overrides) {
        Map<String, Object> props = fixture.config();
        props.put(FathomStorageConfig.OUTBOX_DIR_CONFIG, outboxDir.toString());
        props.put(FathomStorageConfig.OUTBOX_MAX_BYTES_CONFIG, entryBytes * 2 + entryBytes / 2);
        props.putAll(overrides);
        FathomStorage storage = fixture.start(props);
        toClose.add(storage::forceShutdown);
        return storage;
    }

    @Test
    void shouldFailAtOnceWhenTheOutboxIsFullAndConfiguredToFail() throws Exception {
        FathomStorage storage = start(Map.of(FathomStorageConfig.QUEUE_FULL_BEHAVIOR_CONFIG, "fail"));
        storage.store("db1", chain.get(0), "default", (d, f) -> { });
        storage.store("db1", chain.get(1), "default", (d, f) -> { });

        QueueFullException e = assertThrows(QueueFullException.class,
                () -> storage.store("db1", chain.get(2), "default", (d, f) -> { }));

        String message = e.getMessage();
        assertTrue(message.contains(outboxDir.toAbsolutePath().toString()), message);
        assertTrue(message.contains(2 * entryBytes + " bytes") && message.contains("outbox.max.bytes="
                + (entryBytes * 2 + entryBytes / 2)) && message.contains("queue.full.behavior=fail"), message);
        assertEquals(2, entryCount(), "the refused segment was not written");
        assertEquals(2 * entryBytes, storage.outboxBytes());
        assertEquals(chain.get(1).endFrameNo(), storage.lastStoredFrameNo("db1"), "the refused segment is not counted");

        durable("db1", chain.get(0).endFrameNo());
        Await.until(WAIT, () -> storage.outboxBytes() == entryBytes, "the durable segment to leave the outbox");
        storage.store("db1", chain.get(2), "default", (d, f) -> { });
        assertEquals(2, entryCount());
    }

    @Test
    void shouldBlockWhileTheOutboxIsFullUntilASegmentBecomesDurable() throws Exception {
        FathomStorage storage = start(Map.of(FathomStorageConfig.QUEUE_BLOCK_TIMEOUT_MS_CONFIG, 60_000));
        storage.store("db1", chain.get(0), "default", (d, f) -> { });
        storage.store("db1", chain.get(1), "default", (d, f) -> { });
        CompletableFuture<Long> stored = new CompletableFuture<>();
        Thread storer = new Thread(() -> {
            try {
                long t0 = System.nanoTime();
                storage.store("db1", chain.get(2), "default", (d, f) -> { });
                stored.complete(System.nanoTime() - t0);
            } catch (RuntimeException e) {
                stored.completeExceptionally(e);
            }
        }, "blocked-store");
        storer.start();
        Await.until(WAIT, () -> storer.getState() == Thread.State.TIMED_WAITING, "store() to block on the outbox");
        assertFalse(stored.isDone());

        durable("db1", chain.get(0).endFrameNo());

        stored.get(60, TimeUnit.SECONDS);
        assertEquals(2, entryCount());
        assertEquals(chain.get(2).endFrameNo(), storage.lastStoredFrameNo("db1"));
    }

    @Test
    void shouldGiveUpAfterTheBlockTimeout() {
        FathomStorage storage = start(Map.of(FathomStorageConfig.QUEUE_BLOCK_TIMEOUT_MS_CONFIG, 300));
        storage.store("db1", chain.get(0), "default", (d, f) -> { });
        storage.store("db1", chain.get(1), "default", (d, f) -> { });

        QueueFullException e = assertThrows(QueueFullException.class,
                () -> storage.store("db1", chain.get(2), "default", (d, f) -> { }));

        assertTrue(e.getMessage().contains("after waiting 300 ms")
                && e.getMessage().contains("queue.block.timeout.ms=300"), e.getMessage());
    }

    @Test
    void shouldRefuseToStartOnACorruptEntryNamingTheFile() throws IOException {
        FathomStorage first = start(Map.of());
        first.store("db1", chain.get(0), "default", (d, f) -> { });
        first.forceShutdown();
        Path entry;
        try (Stream<Path> files = Files.list(outboxDir)) {
            entry = files.filter(p -> p.toString().endsWith(".entry")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(entry);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(entry, bytes);

        RuntimeException e = assertThrows(RuntimeException.class, () -> start(Map.of()));

        assertInstanceOf(CorruptSegmentException.class, e);
        assertTrue(e.getMessage().contains(entry.toAbsolutePath().toString()) && e.getMessage().contains("CRC32C"),
                e.getMessage());
    }

    @Test
    void shouldReportTheLastStoredFrameWithoutAnOutboxToo() throws Exception {
        FathomStorage storage = start(Map.of(FathomStorageConfig.OUTBOX_DIR_CONFIG, ""));
        storage.store("db1", chain.get(0), "default", (d, f) -> { });
        storage.store("db1", chain.get(1), "default", (d, f) -> { });

        assertEquals(chain.get(1).endFrameNo(), storage.lastStoredFrameNo("db1"));
        assertEquals(0, storage.lastStoredFrameNo("db2"));
        assertEquals(0, storage.outboxBytes());
        assertEquals(0, entryCount(), "no outbox: nothing on disk");
        durable("db2", 500);
        Await.until(WAIT, () -> storage.lastStoredFrameNo("db2") == 500, "the durable frame of db2");
    }

    private long entryCount() {
        try (Stream<Path> files = Files.list(outboxDir)) {
            return files.filter(p -> p.toString().endsWith(".entry")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void durable(String namespace, long durableFrameNo) throws Exception {
        DurableFrameWriter.write(KAFKA, fixture.topics.meta(), namespace, durableFrameNo);
    }
}
