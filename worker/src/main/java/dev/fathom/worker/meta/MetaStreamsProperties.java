package dev.fathom.worker.meta;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/**
 * Builds the Kafka Streams properties of the meta service from its settings. Stateless and thread-safe.
 */
final class MetaStreamsProperties {

    private MetaStreamsProperties() {
    }

    /**
     * Returns the Streams properties; {@code actualHttpPort} is the port the HTTP server is really bound to, because
     * other workers forward queries to {@code application.server}. The {@code kafka.streams.*} overrides win.
     */
    static Properties build(MetaServiceSettings settings, int actualHttpPort) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, settings.httpAdvertisedHost() + ":" + actualHttpPort);
        props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().resolve("streams").toString());
        // The service only materialises topics, so replaying a few records after a crash is harmless.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        // Meta and catalog records are written in the worker's transactions: never show an aborted job's records.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        // No record cache: a committed durable frame becomes queryable at once.
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        // -1 = the broker's default.replication.factor, so one config works from a dev broker to a 3-broker cluster.
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        // One undecodable record must not stop queries for every namespace; the handler logs it with its offset.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        props.putAll(settings.streamsOverrides());
        return props;
    }
}
