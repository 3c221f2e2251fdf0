package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.DeadLetter;
import dev.fathom.schemas.DeadLetterReason;
import dev.fathom.schemas.Namespace;
import dev.fathom.schemas.SegmentChunk;
import dev.fathom.schemas.SegmentInfo;
import dev.fathom.schemas.Topics;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.S3Server;
import dev.fathom.testkit.TestSegments;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class WorkerBadInputIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.singleNode();
    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path tmp;

    private final Random random = new Random(11);

    @Test
    void shouldDeadLetterPoisonWithAClearReasonWhileOtherNamespacesBecomeDurable() {
        Topics topics = WorkerFixture.uniqueTopics("bad");
        String bucket = S3.newBucket();
        Map<String, Object> props = WorkerFixture.config(KAFKA, S3, topics, "bad", "w1", bucket, tmp);
        List<SealedSegment> healthy = TestSegments.chain(3, 1, 10, 512, 6, T0, random);
        List<SealedSegment> gapped = TestSegments.chain(4, 1, 10, 512, 6, T0, random);
        List<SealedSegment> overlapped = TestSegments.chain(1, 1, 10, 512, 6, T0, random);
        SealedSegment overlap = TestSegments.random(5, 11, 512, 6, T0 + 5000, random);
        SealedSegment corrupt = TestSegments.random(1, 12, 512, 6, T0, random);
        SealedSegment unknownProfile = TestSegments.random(1, 5, 512, 6, T0, random);
        SealedSegment invalidNamespace = TestSegments.random(1, 5, 512, 6, T0, random);

        try (Worker worker = Worker.start(new WorkerConfig(props));
             ChunkPublisher publisher = new ChunkPublisher(KAFKA.bootstrapServers(), topics.segments())) {
            publisher.publish(TestChunks.of("healthy", "default", healthy.get(0), 2));
            publisher.publish(TestChunks.of("gap-db", "default", gapped.get(0), 1));
            publisher.publish(TestChunks.of("gap-db", "default", gapped.get(2), 1)); // frames 21..30: gap
            publisher.publish(TestChunks.of("overlap-db", "default", overlapped.get(0), 1));
            publisher.publish(TestChunks.of("overlap-db", "default", overlap, 1)); // frames 5..15: overlap
            publisher.publish(TestChunks.of("healthy", "default", healthy.get(1), 3));
            List<SegmentChunk> chunks = TestChunks.of("corrupt-db", "default", corrupt, 3);
            publisher.publish(List.of(chunks.get(0), TestChunks.corrupted(chunks.get(1)), chunks.get(2)));
            publisher.publish(TestChunks.of("profile-db", "nope", unknownProfile, 1));
            publisher.publish(TestChunks.of("bad/ns", "default", invalidNamespace, 1));
            publisher.publishRaw("garbage", "this is not an Avro SegmentChunk".getBytes(StandardCharsets.UTF_8));
            publisher.publish(TestChunks.of("gap-db", "default", gapped.get(3), 1)); // valid, but gap-db is blocked
            publisher.publish(TestChunks.of("healthy", "default", healthy.get(2), 1));
            publisher.publish(TestChunks.of("healthy", "default", healthy.get(0), 2)); // a replay: acknowledged

            Await.until(Duration.ofSeconds(30), () -> WorkerFixture.deadLetters(KAFKA, topics).size() >= 7
                    && WorkerFixture.lastDurable(KAFKA, topics).getOrDefault("healthy", 0L) == 30,
                    "seven dead letters and namespace healthy durable up to frame 30");
            assertTrue(worker.isRunning(), "poison never stops the worker");
        }

        Map<DeadLetterReason, DeadLetter> letters = byReason(WorkerFixture.deadLetters(KAFKA, topics));
        assertEquals(7, letters.size(), () -> "one dead letter per reason: " + letters.keySet());
        assertLetter(letters.get(DeadLetterReason.GAP), "gap-db", gapped.get(2), 10,
                "starts at frame 21 but the durable frame no is 10: frames 11..20 are missing (gap)");
        assertLetter(letters.get(DeadLetterReason.OVERLAP), "overlap-db", overlap, 10,
                "covers frames 5..15 but the durable frame no is 10");
        assertLetter(letters.get(DeadLetterReason.CORRUPT), "corrupt-db", corrupt, 0, "chunk 1 of 3");
        assertLetter(letters.get(DeadLetterReason.UNKNOWN_PROFILE), "profile-db", unknownProfile, 0,
                "names storage profile 'nope'");
        assertLetter(letters.get(DeadLetterReason.INVALID_NAMESPACE), "bad/ns", invalidNamespace, 0,
                "Invalid namespace 'bad/ns'");
        assertLetter(letters.get(DeadLetterReason.BLOCKED_NAMESPACE), "gap-db", gapped.get(3), 10,
                "is blocked since segment " + gapped.get(2).id().format() + " of namespace gap-db");
        DeadLetter undecodable = letters.get(DeadLetterReason.UNDECODABLE);
        assertTrue(undecodable.getReason().contains("key 'garbage'"), undecodable.getReason());
        assertNull(undecodable.getSegmentId());
        assertEquals(undecodable.getFirstOffset(), undecodable.getLastOffset());

        assertEquals(Map.of("healthy", 30L, "gap-db", 10L, "overlap-db", 10L),
                WorkerFixture.lastDurable(KAFKA, topics), "durable frames: poison never advances a namespace");
        Map<String, Long> catalogPerNamespace = WorkerFixture.catalog(KAFKA, topics).stream()
                .map(ConsumerRecord::value).collect(Collectors.groupingBy(SegmentInfo::getNamespace,
                        Collectors.counting()));
        assertEquals(Map.of("healthy", 3L, "gap-db", 1L, "overlap-db", 1L), catalogPerNamespace,
                "catalog records: one per durable segment, none for the replay");
        assertEquals(10, S3.listKeys(bucket, "").size(), "objects: data and index of the five durable segments");
    }

    private static void assertLetter(DeadLetter letter, String namespace, SealedSegment segment, long durable,
                                     String fragment) {
        String id = segment.id().format();
        assertEquals(namespace, letter.getNamespace());
        assertEquals(id, letter.getSegmentId());
        assertEquals(segment.startFrameNo(), letter.getStartFrameNo());
        assertEquals(segment.endFrameNo(), letter.getEndFrameNo());
        assertEquals(durable, letter.getDurableFrameNo(), letter.getReason());
        assertEquals("w1", letter.getWorkerId());
        String shown = Namespace.isValid(namespace) ? namespace : Namespace.quote(namespace); // hostile: escaped
        assertTrue(letter.getReason().contains("segment " + id + " of namespace " + shown),
                "the reason names segment and namespace: " + letter.getReason());
        assertTrue(letter.getReason().contains(fragment), "the reason explains: " + letter.getReason());
        assertTrue(letter.getReason().contains("partition " + letter.getSourcePartition() + " offset"),
                "the reason names partition and offsets: " + letter.getReason());
    }

    private static Map<DeadLetterReason, DeadLetter> byReason(List<DeadLetter> letters) {
        Map<DeadLetterReason, List<DeadLetter>> grouped = letters.stream()
                .collect(Collectors.groupingBy(DeadLetter::getReasonCode, () -> new EnumMap<>(DeadLetterReason.class),
                        Collectors.toCollection(ArrayList::new)));
        grouped.forEach((reason, list) -> assertEquals(1, list.size(), () -> reason + ": " + list));
        return grouped.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(0),
                (a, b) -> a, () -> new EnumMap<>(DeadLetterReason.class)));
    }
}
