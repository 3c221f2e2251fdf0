package dev.fathom.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.DurableFrame;
import dev.fathom.schemas.FathomSerdes;
import dev.fathom.schemas.TopicProvisioner;
import dev.fathom.schemas.TopicSettings;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.TestSegments;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

class DurabilityWatcherIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.singleNode();

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Random random = new Random(7);
    private final StorageFixture.Outcomes outcomes = new StorageFixture.Outcomes();
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

    private FathomStorage startStorage() {
        FathomStorage storage = fixture.start(fixture.config());
        toClose.add(storage::forceShutdown);
        return storage;
    }

    private KafkaProducer<String, DurableFrame> producer(boolean transactional) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        if (transactional) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-worker-" + fixture.prefix);
        }
        KafkaProducer<String, DurableFrame> producer = new KafkaProducer<>(p, new StringSerializer(),
                FathomSerdes.durableFrame().serializer());
        toClose.add(producer);
        if (transactional) {
            producer.initTransactions();
        }
        return producer;
    }

    private RecordMetadata send(KafkaProducer<String, DurableFrame> producer, String namespace, long durable)
            throws ExecutionException, InterruptedException {
        return producer.send(new ProducerRecord<>(fixture.topics.meta(), namespace, frame(namespace, durable))).get();
    }

    private static DurableFrame frame(String namespace, long durable) {
        return DurableFrame.newBuilder().setNamespace(namespace).setDurableFrameNo(durable)
                .setLastSegmentId(String.format("%020d-%020d-%013d", 1, durable, 1L)).setLastStartFrameNo(1)
                .setLastSealedAtMs(1L).setSizeAfter(1).setPageSize(4096).setProfile("default")
                .setUpdatedAtMs(1L).build();
    }

    private List<SealedSegment> storeChain(FathomStorage storage, String namespace, int count) {
        List<SealedSegment> chain = TestSegments.chain(count, 1, 10, 4096, 10, 1L, random);
        chain.forEach(s -> storage.store(namespace, s, "default", outcomes.callback(namespace, s.endFrameNo())));
        return chain;
    }

    @Test
    void shouldCompleteCallbacksInOrderWithTheDurableFrameNumber() throws Exception {
        FathomStorage storage = startStorage();
        storeChain(storage, "db-a", 3); // ends 10, 20, 30
        storeChain(storage, "db-b", 1); // ends 10
        KafkaProducer<String, DurableFrame> worker = producer(false);

        send(worker, "db-a", 20);
        Await.until(WAIT, () -> outcomes.size() == 2, "the first two callbacks of db-a");
        send(worker, "db-b", 10);
        send(worker, "db-a", 35);
        Await.until(WAIT, () -> outcomes.size() == 4, "all four callbacks");

        List<String> seen = outcomes.all.stream()
                .map(o -> o.namespace() + ":" + o.endFrameNo() + "@" + o.durableFrameNo()).toList();
        assertTrue(seen.indexOf("db-a:10@20") == 0 && seen.indexOf("db-a:20@20") == 1, seen.toString());
        assertTrue(seen.contains("db-a:30@35") && seen.contains("db-b:10@10"), seen.toString());
        outcomes.all.forEach(o -> assertNull(o.failure(), o.toString()));
        outcomes.all.forEach(o -> assertTrue(o.thread().startsWith("fathom-callbacks-"), o.thread()));
        assertEquals(35, storage.durableFrameNo("db-a"));
        assertEquals(10, storage.durableFrameNo("db-b"));
    }

    @Test
    void shouldNotMoveTheDurableFrameBackwardsWhenALowerValueArrives() throws Exception {
        FathomStorage storage = startStorage();
        KafkaProducer<String, DurableFrame> worker = producer(true);
        worker.beginTransaction();
        send(worker, "db-a", 30);
        worker.commitTransaction();
        Await.until(WAIT, () -> storage.durableFrameNo("db-a") == 30, "durable frame 30 of db-a");

        worker.beginTransaction();
        RecordMetadata lower = send(worker, "db-a", 15);
        // A marker namespace in the same partition tells us when the lower value has been read.
        worker.send(new ProducerRecord<>(fixture.topics.meta(), lower.partition(), "marker", frame("marker", 1)));
        worker.commitTransaction();

        Await.until(WAIT, () -> storage.durableFrameNo("marker") == 1, "the marker after the lower value");
        assertEquals(30, storage.durableFrameNo("db-a"));
    }

    @Test
    void shouldIgnoreDurableFramesOfAbortedTransactions() throws Exception {
        FathomStorage storage = startStorage();
        storeChain(storage, "db-a", 1);
        KafkaProducer<String, DurableFrame> worker = producer(true);
        worker.beginTransaction();
        RecordMetadata aborted = send(worker, "db-a", 100);
        worker.abortTransaction();
        worker.beginTransaction();
        worker.send(new ProducerRecord<>(fixture.topics.meta(), aborted.partition(), "marker", frame("marker", 1)));
        worker.commitTransaction();

        Await.until(WAIT, () -> storage.durableFrameNo("marker") == 1, "the marker after the aborted value");
        assertEquals(0, storage.durableFrameNo("db-a"));
        assertEquals(0, outcomes.size(), "an aborted durable frame completes no callback");
    }

    @Test
    void shouldReadDurableFramesWrittenBeforeItStarted() throws Exception {
        new TopicProvisioner(KAFKA.admin(), fixture.topics, new TopicSettings(3, (short) 1,
                TopicSettings.DEFAULT_SEGMENTS_RETENTION_MS, TopicSettings.DEFAULT_MAX_MESSAGE_BYTES)).ensureTopics();
        KafkaProducer<String, DurableFrame> worker = producer(false);
        send(worker, "db-a", 10);
        send(worker, "db-a", 25);
        send(worker, "db-b", 7);

        FathomStorage storage = startStorage();

        assertEquals(25, storage.durableFrameNo("db-a"), "caught up before start() returned");
        assertEquals(7, storage.durableFrameNo("db-b"));
        storeChain(storage, "db-a", 2); // ends 10, 20: already durable
        Await.until(WAIT, () -> outcomes.size() == 2, "callbacks of already durable segments");
        assertEquals(List.of(25L, 25L), outcomes.all.stream().map(StorageFixture.Outcome::durableFrameNo).toList());
    }

    @Test
    void shouldCompleteCallbacksOnGracefulShutdownOnceDurable() throws Exception {
        Map<String, Object> props = fixture.config();
        props.put(FathomStorageConfig.SHUTDOWN_TIMEOUT_MS_CONFIG, 30_000);
        FathomStorage storage = fixture.start(props);
        toClose.add(storage::forceShutdown);
        storeChain(storage, "db-a", 2);
        KafkaProducer<String, DurableFrame> worker = producer(false);
        Thread shutdown = new Thread(storage::shutdown);
        shutdown.start();

        send(worker, "db-a", 20);

        shutdown.join(WAIT.toMillis());
        assertEquals(Thread.State.TERMINATED, shutdown.getState(), "shutdown returned once everything was durable");
        assertEquals(2, outcomes.size());
        outcomes.all.forEach(o -> assertNull(o.failure(), o.toString()));
    }
}
