package dev.fathom.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FathomStorageConfigTest {

    private static Map<String, Object> minimal() {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", "localhost:9092");
        props.put("node.id", "node-1");
        return props;
    }

    private static FathomStorageConfig with(String key, Object value) {
        Map<String, Object> props = minimal();
        props.put(key, value);
        return new FathomStorageConfig(props);
    }

    @Test
    void shouldApplyDocumentedDefaults() {
        FathomStorageConfig config = new FathomStorageConfig(minimal());

        assertEquals("localhost:9092", config.bootstrapServers());
        assertEquals("node-1", config.nodeId());
        assertEquals(1_048_576, config.chunkMaxBytes());
        assertEquals(1000, config.queueMaxSegments());
        assertEquals(256L * 1024 * 1024, config.queueMaxBytes());
        assertEquals(QueueFullBehavior.BLOCK, config.queueFullBehavior());
        assertEquals(Duration.ofSeconds(60), config.queueBlockTimeout());
        assertEquals(Duration.ofSeconds(60), config.shutdownTimeout());
        assertEquals(Topics.defaults(), config.topics());
        assertEquals(12, config.topicPartitions());
        assertEquals(64L * 1024 * 1024, config.publishMaxTransactionBytes());
    }

    @Test
    void shouldReadEveryKeyThroughTypedAccessors() {
        Map<String, Object> props = minimal();
        props.put("queue.full.behavior", "fail");
        props.put("queue.max.segments", "5");
        props.put("chunk.max.bytes", "65552");
        props.put("topic.segments", "a.segments");
        props.put("topic.meta", "a.meta");
        props.put("topic.catalog", "a.catalog");
        props.put("topic.dlq", "a.dlq");
        props.put("topic.partitions", "3");
        FathomStorageConfig config = new FathomStorageConfig(props);

        assertEquals(QueueFullBehavior.FAIL, config.queueFullBehavior());
        assertEquals(5, config.queueMaxSegments());
        assertEquals(65_552, config.chunkMaxBytes());
        assertEquals(new Topics("a.segments", "a.meta", "a.catalog", "a.dlq"), config.topics());
        assertEquals(3, config.topicPartitions());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "node.id, 'node 1'",
        "node.id, ''",
        "node.id, ..",
        "chunk.max.bytes, 65536",
        "chunk.max.bytes, 8388608",
        "chunk.max.bytes, lots",
        "queue.max.segments, 0",
        "queue.max.bytes, 0",
        "queue.full.behavior, drop",
        "queue.block.timeout.ms, -1",
        "shutdown.timeout.ms, -5",
        "topic.partitions, 0",
        "topic.meta, 'bad/name'",
        "publish.max.transaction.bytes, 0",
        "bootstrap.servers, ''",
        "kafka.producer.acks, 1",
        "kafka.producer.enable.idempotence, false",
        "kafka.producer.transactional.id, other",
        "kafka.producer.max.request.size, 1048576",
        "kafka.consumer.isolation.level, read_uncommitted",
        "kafka.consumer.group.id, g",
        "kafka.admin.bootstrap.servers, elsewhere:9092",
    })
    void shouldRejectABadValueNamingItsKey(String key, String value) {
        ConfigException e = assertThrows(ConfigException.class, () -> with(key, value));
        assertTrue(e.getMessage().contains(key), "message names " + key + ": " + e.getMessage());
    }

    @Test
    void shouldRequireTheNodeId() {
        Map<String, Object> props = minimal();
        props.remove("node.id");
        ConfigException e = assertThrows(ConfigException.class, () -> new FathomStorageConfig(props));
        assertTrue(e.getMessage().contains("node.id"), e.getMessage());
    }

    @Test
    void shouldRejectTopicsThatShareAName() {
        ConfigException e = assertThrows(ConfigException.class, () -> with("topic.meta", "fathom.segments"));
        assertTrue(e.getMessage().contains("topic.meta"), e.getMessage());
    }

    @Test
    void shouldPassProducerSettingsThroughButKeepTheGuaranteesFixed() {
        Map<String, Object> props = minimal();
        props.put("kafka.producer.compression.type", "zstd");
        props.put("kafka.producer.linger.ms", "20");
        props.put("kafka.consumer.fetch.max.bytes", "1000000");
        props.put("kafka.admin.request.timeout.ms", "5000");
        FathomStorageConfig config = new FathomStorageConfig(props);

        Map<String, Object> producer = KafkaClientSettings.producer(config);
        assertEquals("zstd", producer.get("compression.type"));
        assertEquals("20", producer.get("linger.ms"));
        assertEquals("fathom-node-node-1", producer.get("transactional.id"));
        assertEquals(true, producer.get("enable.idempotence"));
        assertEquals("all", producer.get("acks"));
        assertEquals(4 * 1024 * 1024, producer.get("max.request.size"));
        Map<String, Object> consumer = KafkaClientSettings.consumer(config);
        assertEquals("read_committed", consumer.get("isolation.level"));
        assertEquals("1000000", consumer.get("fetch.max.bytes"));
        assertEquals("5000", KafkaClientSettings.admin(config).get("request.timeout.ms"));
    }

    @Test
    void shouldNotCompressByDefault() {
        assertEquals("none", KafkaClientSettings.producer(new FathomStorageConfig(minimal())).get("compression.type"));
    }

    @Test
    void shouldRaiseTheRequestSizeAboveTheLargestChunk() {
        FathomStorageConfig config = with("chunk.max.bytes", String.valueOf(6 * 1024 * 1024));
        assertEquals(6 * 1024 * 1024 + KafkaClientSettings.RECORD_OVERHEAD_BYTES,
                KafkaClientSettings.producer(config).get("max.request.size"));
    }

}
