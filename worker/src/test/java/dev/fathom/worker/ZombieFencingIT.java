package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.DurableFrame;
import dev.fathom.schemas.TopicProvisioner;
import dev.fathom.schemas.Topics;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.ForkedJvm;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.S3Server;
import dev.fathom.testkit.TestSegments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A zombie worker: it uploads a segment, then its poll thread stalls (fault injection) past
 * {@code max.poll.interval.ms}, so its consumer leaves the group and a successor takes its partitions and makes
 * everything durable. When the zombie wakes up and tries to commit what it had, the group coordinator must reject its
 * stale membership (KIP-447: unknown member or old generation) and the transaction aborts: the meta topic gets no
 * record from the zombie, the group's offsets do not move back and the durable frame never regresses.
 */
class ZombieFencingIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.singleNode();
    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final String NAMESPACE = "zombie-db";

    @TempDir
    Path tmp;

    @Test
    void shouldFenceTheCommitOfAWorkerThatStalledPastMaxPollInterval() throws Exception {
        Topics topics = WorkerFixture.uniqueTopics("zombie");
        String bucket = S3.newBucket();
        List<SealedSegment> segments = TestSegments.chain(4, 1, 20, 1024, 10, 1_700_000_000_000L, new Random(11));
        Path marker = tmp.resolve("zombie-blocked-before-commit");
        Map<String, Object> zombieProps = WorkerFixture.config(KAFKA, S3, topics, "zombie", "zombie", bucket, tmp);
        zombieProps.put("fault.block.before.commit.marker.file", marker.toString());
        // The stall must outlast this so the consumer's heartbeat thread leaves the group on the zombie's behalf.
        zombieProps.put("kafka.consumer.max.poll.interval.ms", "6000");
        new TopicProvisioner(KAFKA.admin(), topics, new WorkerConfig(zombieProps).topicSettings()).ensureTopics();
        try (ChunkPublisher publisher = new ChunkPublisher(KAFKA.bootstrapServers(), topics.segments())) {
            publisher.publish(TestChunks.of(NAMESPACE, "default", segments.get(0), 2));
            publisher.publish(TestChunks.of(NAMESPACE, "default", segments.get(1), 2));

            try (ForkedJvm zombie = ForkedJvm.start(WorkerMain.class.getName(),
                    List.of(WorkerFixture.write(zombieProps, tmp.resolve("zombie.properties")).toString()),
                    tmp.resolve("zombie.log"))) {
                Await.until(Duration.ofSeconds(40), () -> Files.exists(marker) || !zombie.isAlive(),
                        "the zombie to upload a segment and stall before committing it");
                assertTrue(zombie.isAlive(), () -> "the zombie died early:\n" + zombie.logTail(40));

                Map<String, Object> successorProps = WorkerFixture.config(KAFKA, S3, topics, "zombie", "successor",
                        bucket, tmp);
                try (Worker successor = Worker.start(new WorkerConfig(successorProps))) {
                    awaitDurable(topics, successor, segments.get(1).endFrameNo(),
                            "the successor to take the stalled worker's partitions and redo its work");
                    publisher.publish(TestChunks.of(NAMESPACE, "default", segments.get(2), 2));
                    publisher.publish(TestChunks.of(NAMESPACE, "default", segments.get(3), 2));
                    awaitDurable(topics, successor, segments.get(3).endFrameNo(),
                            "the successor to make the later segments durable");
                    Map<TopicPartition, Long> offsetsBefore = committedOffsets();

                    Files.delete(marker); // wake the zombie: it now commits with its stale group metadata
                    Await.until(Duration.ofSeconds(40), () -> zombieTriedToCommit(zombie) || !zombie.isAlive(),
                            "the woken zombie to attempt its commit");
                    Await.until(Duration.ofSeconds(30), () -> commitLogged(zombie) || !zombie.isAlive(),
                            "the zombie to log the outcome of its commit");
                    assertTrue(successor.isRunning(), () -> "the successor failed: " + successor.failure());
                    Map<TopicPartition, Long> offsetsAfter = committedOffsets();
                    offsetsBefore.forEach((tp, offset) -> assertTrue(offsetsAfter.get(tp) >= offset,
                            "the group's committed offset of " + tp + " did not move back: " + offset + " -> "
                                    + offsetsAfter.get(tp)));
                }
                String refusal = zombie.logTail(400).lines().filter(l -> l.contains("Could not commit")).findFirst()
                        .orElseThrow(() -> new AssertionError("the zombie's commit was refused:\n"
                                + zombie.logTail(60)));
                System.out.println("ZombieFencingIT: the zombie's commit was refused: " + refusal);
            }
        }

        List<Long> committed = WorkerFixture.metaRecords(KAFKA, topics).stream()
                .filter(f -> f.getNamespace().equals(NAMESPACE)).map(DurableFrame::getDurableFrameNo).toList();
        assertEquals(segments.stream().map(SealedSegment::endFrameNo).toList(), committed,
                "exactly one committed meta record per segment, in frame order: none from the zombie");
        assertEquals(segments.size(), WorkerFixture.catalog(KAFKA, topics).stream()
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting())).size(),
                "a catalog record for every segment");
        assertEquals(segments.size(), WorkerFixture.catalog(KAFKA, topics).size(),
                "one committed catalog record per segment: none from the zombie");
        assertEquals(segments.get(3).endFrameNo(), WorkerFixture.lastDurable(KAFKA, topics).get(NAMESPACE),
                "the durable frame did not regress to the zombie's segment");
    }

    private static void awaitDurable(Topics topics, Worker worker, long frame, String what) {
        Await.until(Duration.ofSeconds(60), () -> WorkerFixture.lastDurable(KAFKA, topics)
                .getOrDefault(NAMESPACE, 0L) >= frame || !worker.isRunning(), what);
        assertTrue(worker.isRunning(), () -> "the successor failed: " + worker.failure());
    }

    private static boolean zombieTriedToCommit(ForkedJvm zombie) {
        return zombie.logTail(400).contains("deleted; committing the");
    }

    private static boolean commitLogged(ForkedJvm zombie) {
        String log = zombie.logTail(400);
        return log.contains("Could not commit") || log.contains("is durable: the durable frame no of namespace "
                + NAMESPACE);
    }

    /** The worker group's committed offsets of the segments topic (a zombie's stale commit would lower one). */
    private static Map<TopicPartition, Long> committedOffsets() {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = KAFKA.admin().listConsumerGroupOffsets("zombie")
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> result = new HashMap<>();
            offsets.forEach((tp, offset) -> result.put(tp, offset == null ? -1L : offset.offset()));
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not list the offsets of group zombie", e.getCause());
        }
    }
}
