package dev.fathom.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Fathom's four topics when they are missing and refuses to run on existing ones whose cleanup policy or
 * partition count would break Fathom. Idempotent; safe to call from several processes at once (a topic created
 * concurrently by another process is checked like any existing one). Not thread-safe per instance, but it holds
 * no state between calls; the caller owns and closes the {@link Admin}.
 */
public final class TopicProvisioner {
    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);
    /** How long to wait for a topic another process just created to become visible to describeTopics. */
    private static final Duration RACE_VISIBILITY_TIMEOUT = Duration.ofSeconds(10);
    private static final long RACE_POLL_MS = 100;

    private final Admin admin;
    private final Topics topics;
    private final TopicSettings settings;
    private final List<TopicSpec> specs;

    /** Creates a provisioner for {@code topics} that creates missing ones according to {@code settings}. */
    public TopicProvisioner(Admin admin, Topics topics, TopicSettings settings) {
        this.admin = admin;
        this.topics = topics;
        this.settings = settings;
        this.specs = TopicSpec.all(topics, settings);
    }

    /**
     * Checks the existing topics, then creates the missing ones. Every created topic gets the segments topic's
     * partition count (its actual count when it exists, else {@link TopicSettings#partitions()}).
     *
     * @throws TopicMisconfiguredException when an existing topic has the wrong cleanup policy or partition count
     * @throws KafkaException when the cluster cannot be reached or refuses a request
     * @throws InterruptException when interrupted (the interrupt flag is set again)
     */
    public void ensureTopics() {
        Map<String, TopicDescription> existing = describe(topics.all());
        int partitions = partitionCount(existing);
        verify(existing, partitions);
        List<TopicSpec> missing = specs.stream().filter(s -> !existing.containsKey(s.name())).toList();
        if (missing.isEmpty()) {
            log.debug("All Fathom topics exist with the required settings: {}", topics.all());
            return;
        }
        Set<String> raced = create(missing, partitions, replicationFactor());
        if (!raced.isEmpty()) {
            Map<String, TopicDescription> all = awaitVisible(raced);
            verify(all, partitionCount(all));
        }
    }

    private int partitionCount(Map<String, TopicDescription> existing) {
        TopicDescription segments = existing.get(topics.segments());
        if (segments == null) {
            return settings.partitions();
        }
        int actual = segments.partitions().size();
        if (actual != settings.partitions()) {
            log.info("Topic {} exists with {} partitions; keeping them although the settings ask for {}",
                    topics.segments(), actual, settings.partitions());
        }
        return actual;
    }

    private void verify(Map<String, TopicDescription> existing, int segmentsPartitions) {
        Map<String, Config> configs = describeConfigs(existing.keySet());
        for (TopicSpec spec : specs) {
            TopicDescription description = existing.get(spec.name());
            if (description == null) {
                continue;
            }
            checkCleanupPolicy(spec, configs.get(spec.name()));
            int actual = description.partitions().size();
            if (spec.partitionedLikeSegments() && actual != segmentsPartitions) {
                throw new TopicMisconfiguredException("Topic " + spec.name() + " has " + actual
                        + " partitions but Fathom requires " + segmentsPartitions + ", the partition count of "
                        + topics.segments() + ": a namespace's records must have the same partition number in both"
                        + " topics. Recreate " + spec.name() + " with " + segmentsPartitions + " partitions");
            }
        }
        warnIfMessagesTooSmall(configs.get(topics.segments()));
    }

    private static void checkCleanupPolicy(TopicSpec spec, Config config) {
        String actual = value(config, TopicConfig.CLEANUP_POLICY_CONFIG);
        Set<String> policies = Arrays.stream(actual.split(","))
                .map(String::trim).filter(p -> !p.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
        if (!policies.equals(Set.of(spec.cleanupPolicy()))) {
            throw new TopicMisconfiguredException("Topic " + spec.name() + " has " + TopicConfig.CLEANUP_POLICY_CONFIG
                    + "=" + actual + " but Fathom requires " + spec.cleanupPolicy() + ": " + spec.whyPolicy()
                    + ". Fix it with: kafka-configs.sh --alter --entity-type topics --entity-name " + spec.name()
                    + " --add-config " + TopicConfig.CLEANUP_POLICY_CONFIG + "=" + spec.cleanupPolicy());
        }
    }

    private void warnIfMessagesTooSmall(Config segmentsConfig) {
        if (segmentsConfig == null) {
            return;
        }
        String actual = value(segmentsConfig, TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        if (!actual.isEmpty() && Long.parseLong(actual) < settings.maxMessageBytes()) {
            log.warn("Topic {} has {}={}, below the {} bytes Fathom was configured for: larger segment chunks will be"
                    + " refused by the broker", topics.segments(), TopicConfig.MAX_MESSAGE_BYTES_CONFIG, actual,
                    settings.maxMessageBytes());
        }
    }

    private static String value(Config config, String name) {
        ConfigEntry entry = config == null ? null : config.get(name);
        return entry == null || entry.value() == null ? "" : entry.value();
    }

    /** Creates {@code missing}; returns the names another process created first. */
    private Set<String> create(List<TopicSpec> missing, int partitions, short replicationFactor) {
        List<NewTopic> requests = new ArrayList<>();
        for (TopicSpec spec : missing) {
            requests.add(new NewTopic(spec.name(), partitions, replicationFactor)
                    .configs(spec.configs(replicationFactor)));
        }
        CreateTopicsResult result = admin.createTopics(requests);
        Set<String> raced = new TreeSet<>();
        for (NewTopic request : requests) {
            try {
                await(result.values().get(request.name()));
                log.info("Created topic {} with {} partitions, replication factor {} and configs {}", request.name(),
                        request.numPartitions(), request.replicationFactor(), request.configs());
            } catch (TopicExistsException e) {
                log.info("Topic {} was created concurrently by another process; checking its settings", request.name());
                raced.add(request.name());
            } catch (KafkaException e) {
                throw new KafkaException("Could not create topic " + request.name() + ": " + e.getMessage(), e);
            }
        }
        return raced;
    }

    private short replicationFactor() {
        if (settings.replicationFactor() != TopicSettings.REPLICATION_FACTOR_AUTO) {
            return settings.replicationFactor();
        }
        int brokers = call("describe the cluster", admin.describeCluster().nodes()).size();
        return (short) Math.max(1, Math.min(3, brokers));
    }

    private Map<String, TopicDescription> describe(Collection<String> names) {
        Map<String, KafkaFuture<TopicDescription>> futures = admin.describeTopics(names).topicNameValues();
        Map<String, TopicDescription> found = new HashMap<>();
        for (String name : names) {
            try {
                found.put(name, await(futures.get(name)));
            } catch (UnknownTopicOrPartitionException e) {
                log.debug("Topic {} does not exist yet", name);
            } catch (KafkaException e) {
                throw new KafkaException("Could not describe topic " + name + ": " + e.getMessage(), e);
            }
        }
        return found;
    }

    /**
     * Describes all topics once {@code raced} are visible: a topic another process just created may not have reached
     * the broker's metadata yet, and describeTopics does not retry that case itself.
     */
    private Map<String, TopicDescription> awaitVisible(Set<String> raced) {
        long deadline = System.nanoTime() + RACE_VISIBILITY_TIMEOUT.toNanos();
        while (true) {
            Map<String, TopicDescription> all = describe(topics.all());
            if (all.keySet().containsAll(raced)) {
                return all;
            }
            if (System.nanoTime() > deadline) {
                throw new KafkaException("Topics " + raced + " were reported as existing but stayed invisible to"
                        + " describeTopics for " + RACE_VISIBILITY_TIMEOUT.toSeconds() + " s");
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RACE_POLL_MS); // startup path only, and only after losing a creation race
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        }
    }

    private Map<String, Config> describeConfigs(Collection<String> names) {
        if (names.isEmpty()) {
            return Map.of();
        }
        List<ConfigResource> resources = names.stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
        Map<ConfigResource, Config> configs = call("describe the configs of topics " + names,
                admin.describeConfigs(resources).all());
        Map<String, Config> byName = new HashMap<>();
        configs.forEach((resource, config) -> byName.put(resource.name(), config));
        return byName;
    }

    private static <V> V call(String action, KafkaFuture<V> future) {
        try {
            return await(future);
        } catch (KafkaException e) {
            throw new KafkaException("Could not " + action + ": " + e.getMessage(), e);
        }
    }

    /** Waits for {@code future}, rethrowing a KafkaException cause as is so callers can catch specific ones. */
    private static <V> V await(KafkaFuture<V> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof KafkaException kafka) {
                throw kafka;
            }
            throw new KafkaException(cause.getMessage(), cause);
        }
    }
}
