package dev.fathom.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.SegmentChunk;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.ForkedJvm;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.TestSegments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node process SIGKILLed while it stores segments through its outbox: every segment whose store() returned is
 * published by the next storage on the same outbox.dir, in order, and a half-written temp file is cleaned up.
 */
class OutboxNodeKillIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.singleNode();

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int SEGMENTS = 5000;
    private static final long SEED = 29;

    @TempDir
    Path dir;

    /**
     * The chain both JVMs build, one segment at a time (it is too large to hold at once): 64 frames of 4 KiB per
     * segment (about 257 KiB each), segment i covering frames 64i+1..64i+64.
     */
    static Iterator<SealedSegment> chain(long seed) {
        Random random = new Random(seed);
        return new Iterator<>() {
            private int index;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public SealedSegment next() {
                int i = index++;
                return TestSegments.random(64L * i + 1, 64, 4096, 500, 1_700_000_000_000L + 1000L * i, random);
            }
        };
    }

    @Test
    void shouldPublishEverySegmentWhoseStoreReturnedBeforeTheNodeWasKilled(TestInfo test) throws Exception {
        StorageFixture fixture = new StorageFixture(KAFKA, test.getTestMethod().orElseThrow().getName());
        Path outbox = dir.resolve("outbox");
        Path log = dir.resolve("node.log");
        int printed;
        try (ForkedJvm node = ForkedJvm.start(ForkedOutboxNode.class.getName(), List.of(KAFKA.bootstrapServers(),
                fixture.nodeId, fixture.prefix, outbox.toString(), String.valueOf(SEGMENTS), String.valueOf(SEED)),
                log)) {
            Await.until(WAIT, () -> storedLines(log) >= 40, "the node to store 40 segments (see " + log + ")");
            node.killHard();
            printed = storedLines(log);
        }
        assertTrue(printed < SEGMENTS, "killed while storing (" + printed + " stored)");
        Iterator<SealedSegment> chain = chain(SEED);

        Map<String, Object> props = fixture.config();
        props.put(FathomStorageConfig.OUTBOX_DIR_CONFIG, outbox.toString());
        FathomStorage next = fixture.start(props);
        try {
            long found = next.lastStoredFrameNo("db1");
            int inOutbox = (int) (found / 64);
            assertTrue(inOutbox >= printed && inOutbox <= printed + 1,
                    "the outbox holds every returned store() and at most the one in progress: " + inOutbox + " vs "
                            + printed + " printed");
            assertEquals(List.of(), files(outbox, ".tmp"), "a half-written temp file is deleted at start");
            List<String> expected = Stream.generate(chain::next).limit(inOutbox).map(s -> s.id().format()).toList();
            List<String> published = Await.value(WAIT, () -> firstSeen(fixture.segmentRecords()),
                    ids -> ids.size() >= inOutbox, inOutbox + " segments on " + fixture.topics.segments());
            assertEquals(expected, published, "every stored segment once at least, in frame order, nothing else");

            DurableFrameWriter.write(KAFKA, fixture.topics.meta(), "db1", found);
            Await.until(WAIT, () -> next.outboxBytes() == 0 && files(outbox, ".entry").isEmpty(),
                    "an empty outbox once everything is durable");
            System.out.printf("[outbox] node killed after %d printed stores; %d entries replayed by the next start%n",
                    printed, inOutbox);
        } finally {
            next.forceShutdown();
        }
    }

    private static int storedLines(Path log) {
        try (Stream<String> lines = Files.lines(log)) {
            return (int) lines.filter(l -> l.startsWith("STORED ")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static List<Path> files(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(suffix)).collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> firstSeen(List<ConsumerRecord<String, SegmentChunk>> records) {
        return records.stream().filter(r -> r.value().getChunkIndex() == 0).map(r -> r.value().getSegmentId())
                .distinct().collect(Collectors.toList());
    }
}
