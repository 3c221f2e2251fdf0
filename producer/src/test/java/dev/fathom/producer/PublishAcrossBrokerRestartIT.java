package dev.fathom.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.SegmentChunk;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.TestSegments;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PublishAcrossBrokerRestartIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.forkedProcess();

    private static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    void shouldPublishSegmentsStoredWhileTheBrokerWasDownInOrder() {
        StorageFixture fixture = new StorageFixture(KAFKA, "restart");
        Map<String, Object> props = fixture.config();
        props.put(FathomStorageConfig.CHUNK_MAX_BYTES_CONFIG, 65_552);
        FathomStorage storage = fixture.start(props);
        try {
            List<SealedSegment> chain = TestSegments.chain(10, 1, 30, 4096, 50, 1L, new Random(5));
            chain.subList(0, 5).forEach(s -> storage.store("db1", s, "default", (d, f) -> { }));
            Await.until(WAIT, () -> segmentIds(fixture.segmentRecords()).size() == 5, "the first 5 segments");

            KAFKA.kill();
            long t0 = System.nanoTime();
            chain.subList(5, 10).forEach(s -> storage.store("db1", s, "default", (d, f) -> { }));
            long storeMs = (System.nanoTime() - t0) / 1_000_000;
            KAFKA.restart();

            List<String> ids = Await.value(WAIT, () -> segmentIds(fixture.segmentRecords()),
                    l -> l.size() >= 10, "all 10 segments after the broker restarted");
            assertTrue(storeMs < 5_000, "store() returned at once while the broker was down (" + storeMs + " ms)");
            assertEquals(chain.stream().map(s -> s.id().format()).collect(Collectors.toList()),
                    ids.stream().distinct().collect(Collectors.toList()), "every segment, first seen in store order");
        } finally {
            storage.forceShutdown();
        }
    }

    @Test
    void shouldRetryFailedTransactionsUntilTheBrokerIsBack() {
        StorageFixture fixture = new StorageFixture(KAFKA, "retry");
        Map<String, Object> props = fixture.config();
        // Fail fast while the broker is down so that whole transactions fail, abort and are retried.
        props.put("kafka.producer.request.timeout.ms", 1000);
        props.put("kafka.producer.delivery.timeout.ms", 2000);
        props.put("kafka.producer.max.block.ms", 2000);
        FathomStorage storage = fixture.start(props);
        try {
            List<SealedSegment> a = TestSegments.chain(4, 1, 30, 4096, 50, 1L, new Random(6));
            List<SealedSegment> b = TestSegments.chain(4, 1, 30, 4096, 50, 1L, new Random(7));
            storage.store("db-a", a.get(0), "default", (d, f) -> { });
            Await.until(WAIT, () -> segmentIds(fixture.segmentRecords()).size() == 1, "the first segment");

            KAFKA.kill();
            for (int i = 1; i < 4; i++) {
                storage.store("db-a", a.get(i), "default", (d, f) -> { });
                storage.store("db-b", b.get(i - 1), "default", (d, f) -> { });
            }
            Await.until(WAIT, () -> storage.failedTransactions() >= 2, "two failed publishing transactions");
            KAFKA.restart();

            List<ConsumerRecord<String, SegmentChunk>> records = Await.value(WAIT, fixture::segmentRecords,
                    r -> firstSeen(r, "db-a").size() == 4 && firstSeen(r, "db-b").size() == 3,
                    "all 7 segments after the broker restarted");
            assertEquals(ids(a), firstSeen(records, "db-a"), "db-a segments in store order");
            assertEquals(ids(b.subList(0, 3)), firstSeen(records, "db-b"), "db-b segments in store order");
        } finally {
            storage.forceShutdown();
        }
    }

    private static List<String> ids(List<SealedSegment> segments) {
        return segments.stream().map(s -> s.id().format()).collect(Collectors.toList());
    }

    private static List<String> firstSeen(List<ConsumerRecord<String, SegmentChunk>> records, String namespace) {
        return segmentIds(records.stream().filter(r -> r.key().equals(namespace)).collect(Collectors.toList()))
                .stream().distinct().collect(Collectors.toList());
    }

    /** Returns the segment id of each segment's first chunk, in log order. */
    private static List<String> segmentIds(List<ConsumerRecord<String, SegmentChunk>> records) {
        return records.stream().filter(r -> r.value().getChunkIndex() == 0).map(r -> r.value().getSegmentId())
                .collect(Collectors.toList());
    }
}
