package dev.fathom.testkit;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A Kafka broker in Docker through Testcontainers ({@code apache/kafka} image), configured like the local broker
 * (16 MiB messages, no auto-created topics, no initial rebalance delay). Not thread-safe; owned by
 * {@link KafkaBroker}.
 */
final class KafkaContainerBroker implements AutoCloseable {

    static final String IMAGE = "apache/kafka:4.1.1";

    private final KafkaContainer container;

    private KafkaContainerBroker(KafkaContainer container) {
        this.container = container;
    }

    /**
     * True when a Docker engine answers. Any failure counts as "no": the check can throw instead of returning false
     * (e.g. an engine without a bridge network).
     */
    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    static KafkaContainerBroker start() {
        KafkaContainer c = new KafkaContainer(DockerImageName.parse(IMAGE))
                .withEnv("KAFKA_MESSAGE_MAX_BYTES", "16777216")
                .withEnv("KAFKA_REPLICA_FETCH_MAX_BYTES", "16777216")
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1");
        c.start();
        return new KafkaContainerBroker(c);
    }

    String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void close() {
        container.stop();
    }
}
