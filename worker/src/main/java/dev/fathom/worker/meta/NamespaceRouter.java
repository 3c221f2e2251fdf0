package dev.fathom.worker.meta;

import dev.fathom.schemas.NamespacePartitioner;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Runs a query against the owner of a namespace: locally when this instance owns its partition, else through the
 * given remote call; the one place that retries while the group rebalances. Thread-safe.
 *
 * <p>The owner is found with the namespace (not a catalog key) and {@link NamespacePartitioner}, because the worker
 * writes meta and catalog records with an explicit partition = {@code partitionFor(namespace)}.
 */
final class NamespaceRouter {

    private static final StreamPartitioner<String, Object> BY_NAMESPACE = new ByNamespace();
    private static final long FIRST_PAUSE_MS = 20;
    private static final long MAX_PAUSE_MS = 500;

    private final KafkaStreams streams;
    private final HostInfo self;
    private final Duration timeout;

    NamespaceRouter(KafkaStreams streams, HostInfo self, Duration timeout) {
        this.streams = streams;
        this.self = self;
        this.timeout = timeout;
    }

    /**
     * Answers with {@code local} (given the partition) when this instance owns {@code namespace}, else with
     * {@code remote} if {@code mayForward}. {@link InvalidStateStoreException} and {@link MetaUnavailableException}
     * from either are retried until the timeout; a forwarded query ({@code mayForward == false}) gets one attempt,
     * because the instance that forwarded it retries.
     *
     * @throws MetaUnavailableException when no owner answered in time or the service is not running
     */
    <T> T route(String namespace, boolean mayForward, IntFunction<T> local, Function<NamespaceOwner, T> remote) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMs = FIRST_PAUSE_MS;
        while (true) {
            requireAlive(namespace);
            try {
                NamespaceOwner owner = locate(namespace);
                if (owner.local()) {
                    return local.apply(owner.partition());
                }
                if (!mayForward) {
                    throw new MetaUnavailableException("Meta service at " + endpoint(self)
                            + " does not own partition " + owner.partition() + " of namespace '" + namespace
                            + "' (owner: " + endpoint(owner.host()) + ")");
                }
                return remote.apply(owner);
            } catch (InvalidStateStoreException | MetaUnavailableException e) {
                if (!mayForward) {
                    throw new MetaUnavailableException("Meta service at " + endpoint(self) + " cannot answer the "
                            + "forwarded query for namespace '" + namespace + "' now: " + e.getMessage(), e);
                }
                if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseMs) > deadline) {
                    throw new MetaUnavailableException("No worker could answer for namespace '" + namespace
                            + "' within " + timeout.toMillis() + " ms (meta service rebalancing or restoring?): "
                            + e.getMessage(), e);
                }
                pause(namespace, pauseMs);
                pauseMs = Math.min(MAX_PAUSE_MS, pauseMs * 2);
            }
        }
    }

    /** Finds the active owner of {@code namespace}'s partition. */
    NamespaceOwner locate(String namespace) {
        KeyQueryMetadata metadata =
                streams.queryMetadataForKey(MetaTopology.DURABLE_FRAMES_STORE, namespace, BY_NAMESPACE);
        if (metadata == null || metadata.activeHost() == null || metadata.activeHost().port() < 0) {
            throw new MetaUnavailableException("No worker owns namespace '" + namespace + "' yet (state "
                    + streams.state() + ")");
        }
        return new NamespaceOwner(metadata.activeHost(), metadata.partition(), self.equals(metadata.activeHost()));
    }

    private void requireAlive(String namespace) {
        KafkaStreams.State state = streams.state();
        if (state.hasStartedOrFinishedShuttingDown()) {
            throw new MetaUnavailableException("Meta service at " + endpoint(self) + " cannot answer for namespace '"
                    + namespace + "': Kafka Streams is " + state);
        }
    }

    /** Partition of a namespace as the worker wrote it; value and headers are never looked at. */
    private static final class ByNamespace implements StreamPartitioner<String, Object> {

        @Override
        public Optional<Set<Integer>> partitions(String topic, String namespace, Object value, Headers headers,
                                                 int numPartitions) {
            return Optional.of(Set.of(NamespacePartitioner.partitionFor(namespace, numPartitions)));
        }

        /** Still abstract in Kafka Streams 4.4, which itself calls the variant with headers. */
        @Override
        @SuppressWarnings("removal")
        public Optional<Set<Integer>> partitions(String topic, String namespace, Object value, int numPartitions) {
            return partitions(topic, namespace, value, null, numPartitions);
        }
    }

    static String endpoint(HostInfo host) {
        return host.host() + ":" + host.port();
    }

    private static void pause(String namespace, long pauseMs) {
        try {
            // The caller is an HTTP or API thread, never a poll loop: waiting for the rebalance is its job.
            Thread.sleep(pauseMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MetaUnavailableException("Interrupted while waiting for the owner of namespace '"
                    + namespace + "'", e);
        }
    }
}
