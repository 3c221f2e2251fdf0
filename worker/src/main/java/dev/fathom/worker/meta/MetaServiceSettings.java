package dev.fathom.worker.meta;

import dev.fathom.schemas.Topics;
import dev.fathom.worker.WorkerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The values the meta service needs, read from {@link WorkerConfig} in exactly one place ({@link #from(WorkerConfig)}).
 * Immutable and thread-safe.
 *
 * @param bootstrapServers  Kafka bootstrap servers
 * @param groupId           the worker consumer group; the Streams application id is {@code groupId + "-meta"}
 * @param workerId          this worker's id, returned in the {@code X-Fathom-Served-By} header
 * @param topics            topic names (meta and catalog are read)
 * @param httpListenHost    interface the HTTP server binds to
 * @param httpPort          HTTP port, 0 = any free port
 * @param httpAdvertisedHost host name other workers use to reach this one (Streams {@code application.server})
 * @param stateDir          worker state directory; Streams state goes to {@code stateDir/streams}
 * @param streamsOverrides  {@code kafka.streams.*} settings (prefix removed), applied after ours
 * @param queryTimeout      how long a query waits for an owner during a rebalance before answering 503
 */
public record MetaServiceSettings(
        String bootstrapServers,
        String groupId,
        String workerId,
        Topics topics,
        String httpListenHost,
        int httpPort,
        String httpAdvertisedHost,
        Path stateDir,
        Map<String, Object> streamsOverrides,
        Duration queryTimeout) {

    /** Long enough to ride out a rebalance of a small group, short enough for an HTTP client to wait. */
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(10);

    public MetaServiceSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(httpListenHost, "httpListenHost");
        Objects.requireNonNull(httpAdvertisedHost, "httpAdvertisedHost");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(queryTimeout, "queryTimeout");
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException(
                    "HTTP port must be within 0..65535 (0 = any free port), got " + httpPort);
        }
        streamsOverrides = Map.copyOf(streamsOverrides);
    }

    /** Reads the meta service's settings from the worker configuration. */
    public static MetaServiceSettings from(WorkerConfig config) {
        return new MetaServiceSettings(
                config.bootstrapServers(),
                config.groupId(),
                config.workerId(),
                config.topics(),
                config.httpListenHost(),
                config.httpPort(),
                config.httpAdvertisedHost(),
                config.stateDir(),
                config.streamsOverrides(),
                DEFAULT_QUERY_TIMEOUT);
    }

    /** The Kafka Streams application id shared by every worker of the group. */
    public String applicationId() {
        return groupId + "-meta";
    }
}
