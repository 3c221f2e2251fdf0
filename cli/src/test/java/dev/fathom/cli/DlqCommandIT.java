package dev.fathom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fathom.cli.FathomCliTest.Run;
import dev.fathom.schemas.DeadLetter;
import dev.fathom.schemas.DeadLetterReason;
import dev.fathom.schemas.DurableFrame;
import dev.fathom.schemas.FathomSerdes;
import dev.fathom.schemas.NamespacePartitioner;
import dev.fathom.schemas.SegmentChunk;
import dev.fathom.schemas.Topics;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.schemas.format.SegmentFrames;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.S3Server;
import dev.fathom.testkit.TestSegments;
import dev.fathom.worker.Worker;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fathom dlq list|replay} against a real worker: a gap is dead-lettered (and the segment after it refused as
 * blocked), list shows both letters (text, filtered JSON), the missing segment published again unblocks the
 * namespace, replay republishes the refused segments in frame order so the namespace advances to its end, a second
 * replay changes nothing, corrupt letters are skipped with a hint, and records removed by retention give exit 1
 * naming topic, partition and offsets.
 */
class DlqCommandIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.singleNode();
    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final String NS = "orders";

    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void shouldListDeadLettersAndReplayAGappedNamespaceToItsEnd() throws Exception {
        Topics topics = WorkerTestbed.uniqueTopics("dlq");
        List<SealedSegment> chain = TestSegments.chain(5, 1, 10, 512, 6, 1_790_000_000_000L, new Random(7));
        String gone = namespaceOffThePartitionOf(NS);
        try (Worker worker = WorkerTestbed.startWorker(KAFKA, S3, topics, "g-dlq", S3.newBucket(), tmp);
             KafkaProducer<String, byte[]> producer = producer()) {
            publish(producer, topics, NS, chain.get(0));
            publish(producer, topics, NS, chain.get(2)); // frames 21..30: gap
            publish(producer, topics, NS, chain.get(3)); // frames 31..40: blocked
            SegmentChunk corrupt = chunk("bad", chain.get(0));
            corrupt.setFramesCrc32c(corrupt.getFramesCrc32c() + 1);
            send(producer, topics, List.of(corrupt));
            publish(producer, topics, gone, chain.get(1)); // frames 11..20 first: gap
            Await.until(Duration.ofSeconds(30), () -> letters(topics).size() == 4, "four dead letters");
            assertEquals(10L, durable(topics, NS));

            Run list = dlq("list", topics);
            assertEquals(0, list.exitCode(), list::toString);
            assertEquals(4, list.out().lines().count(), list::toString);
            String gapLine = list.out().lines().filter(l -> l.contains("GAP") && l.contains(NS)).findFirst()
                    .orElseThrow();
            int partition = NamespacePartitioner.partitionFor(NS, WorkerTestbed.PARTITIONS);
            assertTrue(gapLine.contains("segment " + chain.get(2).id().format() + " frames 21..30  from "
                    + topics.segments() + " partition " + partition + " offset"), gapLine);
            assertTrue(gapLine.contains("frames 11..20 are missing (gap)"), gapLine);

            Run json = dlq("list", topics, "--namespace", NS, "--reason", "blocked_namespace", "--json");
            assertEquals(0, json.exitCode(), json::toString);
            JsonNode blocked = new ObjectMapper().readTree(json.out());
            assertEquals(1, json.out().lines().count(), json::toString);
            assertEquals(31, blocked.path("startFrameNo").asLong());
            assertEquals("BLOCKED_NAMESPACE", blocked.path("reasonCode").asText());
            assertEquals(partition, blocked.path("sourcePartition").asInt());

            publish(producer, topics, NS, chain.get(1)); // the missing segment: unblocks the namespace
            Await.until(Duration.ofSeconds(30), () -> durable(topics, NS) == 20, NS + " durable up to frame 20");

            Run dryRun = dlq("replay", topics, "--namespace", NS, "--dry-run");
            assertEquals(0, dryRun.exitCode(), dryRun::toString);
            assertTrue(dryRun.out().contains("would republish segment " + chain.get(2).id().format()
                    + " frames 21..30 [GAP]"), dryRun::toString);
            Run replay = dlq("replay", topics, "--namespace", NS);
            assertEquals(0, replay.exitCode(), replay::toString);
            List<String> republished = replay.out().lines().filter(l -> l.startsWith("republished")).toList();
            assertEquals(2, republished.size(), replay::toString);
            assertTrue(republished.get(0).contains("frames 21..30") && republished.get(1).contains("frames 31..40"),
                    "frame order: " + republished);
            Await.until(Duration.ofSeconds(30), () -> durable(topics, NS) == 40, NS + " durable up to frame 40");

            Run again = dlq("replay", topics, "--namespace", NS);
            assertEquals(0, again.exitCode(), again::toString);
            publish(producer, topics, NS, chain.get(4)); // behind the second replay in the same partition
            Await.until(Duration.ofSeconds(30), () -> durable(topics, NS) == 50, NS + " durable up to frame 50");
            assertEquals(List.of(DeadLetterReason.GAP, DeadLetterReason.BLOCKED_NAMESPACE), letters(topics).stream()
                    .filter(l -> l.getNamespace().equals(NS)).map(DeadLetter::getReasonCode).toList(),
                    "a second replay is acknowledged without new letters");

            Run skipped = dlq("replay", topics, "--namespace", "bad");
            assertEquals(0, skipped.exitCode(), skipped::toString);
            assertTrue(skipped.out().contains("CORRUPT would be refused again"), skipped::toString);
            assertTrue(skipped.out().contains("Nothing to replay for namespace bad"), skipped::toString);

            DeadLetter goneLetter = letters(topics).stream().filter(l -> l.getNamespace().equals(gone)).findFirst()
                    .orElseThrow();
            TopicPartition tp = new TopicPartition(topics.segments(), goneLetter.getSourcePartition());
            KAFKA.admin().deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(goneLetter.getLastOffset() + 1)))
                    .all().get();
            Run retention = dlq("replay", topics, "--namespace", gone);
            assertEquals(1, retention.exitCode(), retention::toString);
            assertTrue(retention.err().contains("its records at " + topics.segments() + " partition "
                    + tp.partition() + " offset " + goneLetter.getFirstOffset() + " were removed by retention"),
                    retention::toString);
            assertTrue(worker.isRunning());
        }
    }

    private static Run dlq(String command, Topics topics, String... options) {
        List<String> args = new ArrayList<>(List.of("dlq", command, "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--dlq-topic", topics.deadLetters()));
        args.addAll(List.of(options));
        return FathomCliTest.fathom(args.toArray(String[]::new));
    }

    private static String namespaceOffThePartitionOf(String namespace) {
        int home = NamespacePartitioner.partitionFor(namespace, WorkerTestbed.PARTITIONS);
        return Stream.iterate(0, i -> i + 1).map(i -> "gone" + i)
                .filter(ns -> NamespacePartitioner.partitionFor(ns, WorkerTestbed.PARTITIONS) != home)
                .findFirst().orElseThrow();
    }

    private static List<DeadLetter> letters(Topics topics) {
        return KAFKA.readAll(topics.deadLetters(), new StringDeserializer(), FathomSerdes.deadLetter().deserializer())
                .stream().map(ConsumerRecord::value).toList();
    }

    private static long durable(Topics topics, String namespace) {
        long last = 0;
        for (ConsumerRecord<String, DurableFrame> r : KAFKA.readAll(topics.meta(), new StringDeserializer(),
                FathomSerdes.durableFrame().deserializer())) {
            if (r.value().getNamespace().equals(namespace)) {
                last = r.value().getDurableFrameNo();
            }
        }
        return last;
    }

    private static void publish(KafkaProducer<String, byte[]> producer, Topics topics, String namespace,
                                SealedSegment segment) {
        send(producer, topics, List.of(chunk(namespace, segment)));
    }

    private static void send(KafkaProducer<String, byte[]> producer, Topics topics, List<SegmentChunk> chunks) {
        producer.beginTransaction();
        for (SegmentChunk c : chunks) {
            producer.send(new ProducerRecord<>(topics.segments(), c.getNamespace(), FathomSerdes.segmentChunk()
                    .serializer().serialize(topics.segments(), c)));
        }
        producer.commitTransaction();
    }

    /** The segment as one chunk, as the producer library publishes a small segment. */
    private static SegmentChunk chunk(String namespace, SealedSegment segment) {
        byte[] frames = SegmentFrames.encode(segment.frames());
        CRC32C crc = new CRC32C();
        crc.update(frames);
        return SegmentChunk.newBuilder().setNamespace(namespace).setProfile("default")
                .setSegmentId(segment.id().format()).setStartFrameNo(segment.startFrameNo())
                .setEndFrameNo(segment.endFrameNo()).setSealedAtMs(segment.sealedAtMs())
                .setPageSize(segment.pageSize()).setSizeAfter(segment.sizeAfter()).setChunkIndex(0).setChunkCount(1)
                .setFrames(ByteBuffer.wrap(frames)).setFramesCrc32c((int) crc.getValue())
                .setSegmentCrc32c((int) crc.getValue()).setProducerId("dlq-test").build();
    }

    private static KafkaProducer<String, byte[]> producer() {
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "dlq-test-" + UUID.randomUUID()),
                new StringSerializer(), new ByteArraySerializer());
        producer.initTransactions();
        return producer;
    }
}
