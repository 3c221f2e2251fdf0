package dev.fathom.worker;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Builds the Kafka client settings of the worker: the {@code kafka.*.} pass-through settings first, then the ones
 * the worker's guarantees depend on, which always win (read_committed, no auto commit, cooperative-sticky assignment
 * on the classic protocol, transactional idempotent producer with acks=all). Stateless; thread-safe.
 */
final class KafkaClientSettings {

    /** A modest batch: chunks can be megabytes, and a poll should not hold more than a few segments. */
    static final int MAX_POLL_RECORDS_DEFAULT = 100;

    private KafkaClientSettings() {
    }

    /** The group consumer of the segments topic. */
    static Map<String, Object> segmentsConsumer(WorkerConfig config) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS_DEFAULT);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putAll(config.consumerOverrides());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "fathom-worker-" + config.workerId() + "-segments");
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, GroupProtocol.CLASSIC.name().toLowerCase(Locale.ROOT));
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        return readCommitted(props);
    }

    /** The group-less consumer that reads durable frames from the meta topic. */
    static Map<String, Object> metaConsumer(WorkerConfig config) {
        Map<String, Object> props = new HashMap<>(config.consumerOverrides());
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "fathom-worker-" + config.workerId() + "-meta-loader");
        return readCommitted(props);
    }

    /** The transactional producer of meta, catalog and dead-letter records. */
    static Map<String, Object> producer(WorkerConfig config) {
        Map<String, Object> props = new HashMap<>(config.producerOverrides());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, config.transactionalId());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    /** The admin client (topic provisioning, partition counts, meta end offsets). */
    static Map<String, Object> admin(WorkerConfig config) {
        Map<String, Object> props = new HashMap<>(config.adminOverrides());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "fathom-worker-" + config.workerId() + "-admin");
        return props;
    }

    private static Map<String, Object> readCommitted(Map<String, Object> props) {
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }
}
