package dev.fathom.producer;

import dev.fathom.schemas.FathomSerdes;
import dev.fathom.schemas.SegmentChunk;
import dev.fathom.schemas.Topics;
import dev.fathom.testkit.KafkaBroker;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Per-test topics, node id and config for integration tests of {@link FathomStorage}; plus a callback recorder. */
final class StorageFixture {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    final KafkaBroker kafka;
    final String prefix;
    final Topics topics;
    final String nodeId;

    StorageFixture(KafkaBroker kafka, String testName) {
        this.kafka = kafka;
        this.prefix = testName + "-" + SEQUENCE.incrementAndGet();
        this.topics = new Topics(prefix + ".segments", prefix + ".meta", prefix + ".catalog", prefix + ".dlq");
        this.nodeId = "node-" + prefix;
    }

    Map<String, Object> config() {
        Map<String, Object> props = new HashMap<>();
        props.put(FathomStorageConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(FathomStorageConfig.NODE_ID_CONFIG, nodeId);
        props.put(FathomStorageConfig.TOPIC_SEGMENTS_CONFIG, topics.segments());
        props.put(FathomStorageConfig.TOPIC_META_CONFIG, topics.meta());
        props.put(FathomStorageConfig.TOPIC_CATALOG_CONFIG, topics.catalog());
        props.put(FathomStorageConfig.TOPIC_DLQ_CONFIG, topics.deadLetters());
        props.put(FathomStorageConfig.TOPIC_PARTITIONS_CONFIG, 3);
        props.put(FathomStorageConfig.SHUTDOWN_TIMEOUT_MS_CONFIG, 2000);
        return props;
    }

    FathomStorage start(Map<String, Object> props) {
        return FathomStorage.start(new FathomStorageConfig(props));
    }

    List<ConsumerRecord<String, SegmentChunk>> segmentRecords() {
        return kafka.readAll(topics.segments(), new StringDeserializer(), FathomSerdes.segmentChunk().deserializer());
    }

    /** One callback invocation. */
    record Outcome(String namespace, long endFrameNo, long durableFrameNo, Throwable failure, String thread) {
    }

    /** Records callback invocations in the order they ran. Thread-safe. */
    static final class Outcomes {
        final List<Outcome> all = new CopyOnWriteArrayList<>();

        DurabilityCallback callback(String namespace, long endFrameNo) {
            return (durable, failure) -> all.add(
                    new Outcome(namespace, endFrameNo, durable, failure, Thread.currentThread().getName()));
        }

        int size() {
            return all.size();
        }
    }
}
