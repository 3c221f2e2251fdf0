package dev.fathom.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.format.CorruptSegmentException;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.TestSegments;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An outbox entry damaged on disk after {@code store()} returned is found when the publisher reads it back (frames go
 * to the chunker as stored, verified by the entry's CRC32C): publishing stops with an error naming the file, the
 * open transaction is aborted so no chunk of the batch becomes visible, and the hint is about the file, not about
 * producer fencing.
 */
class OutboxCorruptEntryIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.forkedProcess();

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path outboxDir;

    private FathomStorage storage;

    @AfterEach
    void close() {
        KAFKA.restart(); // a failed test may leave the broker down
        if (storage != null) {
            storage.forceShutdown();
        }
    }

    @Test
    void shouldStopPublishingWithTheDamagedEntryNamedAndNothingCommitted() throws Exception {
        StorageFixture fixture = new StorageFixture(KAFKA, "corrupt-entry");
        Map<String, Object> props = fixture.config();
        props.put(FathomStorageConfig.OUTBOX_DIR_CONFIG, outboxDir.toString());
        props.put("kafka.producer.request.timeout.ms", 1000);
        props.put("kafka.producer.delivery.timeout.ms", 2000);
        props.put("kafka.producer.max.block.ms", 2000);
        storage = fixture.start(props);
        StorageFixture.Outcomes outcomes = new StorageFixture.Outcomes();
        List<SealedSegment> chain = TestSegments.chain(3, 1, 20, 4096, 50, 1_700_000_000_000L, new Random(5));

        KAFKA.kill(); // the segments wait in the outbox
        for (SealedSegment segment : chain) {
            storage.store("db1", segment, "default", outcomes.callback("db1", segment.endFrameNo()));
        }
        Await.until(WAIT, () -> storage.failedTransactions() >= 1, "a failed publishing attempt");
        Path damaged = entryFiles().get(1);
        try (RandomAccessFile file = new RandomAccessFile(damaged.toFile(), "rw")) {
            long offset = file.length() / 2; // inside the frame records
            file.seek(offset);
            int b = file.read();
            file.seek(offset);
            file.write(b ^ 0x40);
        }
        KAFKA.restart();

        // The damaged segment and the one after it fail (the first may have been committed before the outage).
        long damagedEnd = chain.get(1).endFrameNo();
        Await.until(WAIT, () -> outcomes.all.stream().anyMatch(o -> o.endFrameNo() == damagedEnd),
                "the callback of the damaged segment");
        Await.until(WAIT, () -> outcomes.size() >= 2, "the callback of the segment after it");
        for (StorageFixture.Outcome outcome : outcomes.all) {
            CorruptSegmentException failure = assertInstanceOf(CorruptSegmentException.class, outcome.failure(),
                    outcome.toString());
            assertTrue(failure.getMessage().contains("outbox entry " + damaged)
                    && failure.getMessage().contains("CRC32C mismatch"), failure.getMessage());
            assertFalse(SegmentPublisher.hint(failure).contains("fenced"), SegmentPublisher.hint(failure));
        }
        List<Long> visibleEnds = fixture.segmentRecords().stream().map(r -> r.value().getEndFrameNo()).toList();
        assertTrue(visibleEnds.stream().allMatch(end -> end == chain.get(0).endFrameNo()),
                "no chunk of the aborted transaction is visible: " + visibleEnds);
        assertEquals(3, entryFiles().size(), "the entries stay for the operator");
    }

    private List<Path> entryFiles() throws Exception {
        try (Stream<Path> files = Files.list(outboxDir)) {
            return files.filter(p -> p.toString().endsWith(".entry")).sorted().toList();
        }
    }
}
