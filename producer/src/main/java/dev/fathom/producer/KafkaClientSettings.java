package dev.fathom.producer;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;

/**
 * Builds the Kafka client settings of a {@link FathomStorage}: safe defaults, then the connection security settings
 * ({@link KafkaSecurity}), then the user's per-client pass-through overrides, then the settings Fathom's guarantees
 * depend on (which overrides may not touch). Stateless.
 */
final class KafkaClientSettings {

    /** Room for the Avro fields around a chunk's frames and the record batch header. */
    static final int RECORD_OVERHEAD_BYTES = 64 * 1024;
    private static final int MIN_MAX_REQUEST_SIZE = 4 * 1024 * 1024;

    private static final Set<String> FIXED_PRODUCER_KEYS = Set.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, ProducerConfig.ACKS_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
    private static final Set<String> FIXED_CONSUMER_KEYS = Set.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            ConsumerConfig.GROUP_ID_CONFIG, ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
    private static final Set<String> FIXED_ADMIN_KEYS = Set.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);

    private KafkaClientSettings() {
    }

    /** Rejects pass-through keys that would break Fathom's guarantees, naming the full key. */
    static void validateOverrides(FathomStorageConfig config) {
        rejectFixed(FathomStorageConfig.PRODUCER_PREFIX, config.producerOverrides(), FIXED_PRODUCER_KEYS);
        rejectFixed(FathomStorageConfig.CONSUMER_PREFIX, config.consumerOverrides(), FIXED_CONSUMER_KEYS);
        rejectFixed(FathomStorageConfig.ADMIN_PREFIX, config.adminOverrides(), FIXED_ADMIN_KEYS);
        Object maxRequestSize = config.producerOverrides().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        if (maxRequestSize != null && parseInt(maxRequestSize) < minMaxRequestSize(config)) {
            throw new ConfigException(FathomStorageConfig.PRODUCER_PREFIX + ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                    maxRequestSize, "must be at least chunk.max.bytes + " + RECORD_OVERHEAD_BYTES + " = "
                            + minMaxRequestSize(config) + " so that every chunk fits in a request");
        }
    }

    private static void rejectFixed(String prefix, Map<String, Object> overrides, Set<String> fixed) {
        for (String key : overrides.keySet()) {
            if (fixed.contains(key)) {
                throw new ConfigException(prefix + key, overrides.get(key),
                        "is set by Fathom and cannot be overridden (its delivery guarantees depend on it)");
            }
        }
    }

    private static int parseInt(Object value) {
        try {
            return value instanceof Number n ? n.intValue() : Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            return Integer.MIN_VALUE;
        }
    }

    private static int minMaxRequestSize(FathomStorageConfig config) {
        return config.chunkMaxBytes() + RECORD_OVERHEAD_BYTES;
    }

    /** Returns the transactional producer's settings; serializers are passed to the producer as instances. */
    static Map<String, Object> producer(FathomStorageConfig config) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "fathom-node-" + config.nodeId() + "-publisher");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Math.max(MIN_MAX_REQUEST_SIZE, minMaxRequestSize(config)));
        // Pages are often incompressible (encrypted or already compressed data); users may still opt in.
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        props.putAll(config.securitySettings());
        props.putAll(config.producerOverrides());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(config.nodeId()));
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return props;
    }

    /**
     * Returns the durability watcher's settings: no group, read_committed, positions held only in memory;
     * deserializers are passed to the consumer as instances.
     */
    static Map<String, Object> consumer(FathomStorageConfig config) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "fathom-node-" + config.nodeId() + "-durability");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putAll(config.securitySettings());
        props.putAll(config.consumerOverrides());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return props;
    }

    /** Returns the admin client's settings (topic provisioning at startup). */
    static Map<String, Object> admin(FathomStorageConfig config) {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "fathom-node-" + config.nodeId() + "-admin");
        props.putAll(config.securitySettings());
        props.putAll(config.adminOverrides());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return props;
    }

    static String transactionalId(String nodeId) {
        return "fathom-node-" + nodeId;
    }
}
