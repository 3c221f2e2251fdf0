package dev.fathom.schemas;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.TopicConfig;

/**
 * What Fathom requires of one of its topics: cleanup policy (and why), whether it must have the segments topic's
 * partition count, and the configs to create it with. Immutable and thread-safe.
 *
 * @param name topic name
 * @param cleanupPolicy the exact cleanup.policy required
 * @param whyPolicy why that policy, for error messages
 * @param partitionedLikeSegments whether the partition count must equal the segments topic's
 * @param baseConfigs creation configs other than min.insync.replicas, which depends on the replication factor
 */
record TopicSpec(String name, String cleanupPolicy, String whyPolicy, boolean partitionedLikeSegments,
        Map<String, String> baseConfigs) {
    /** Dead letters wait for an operator; 30 days covers holidays and slow incident reviews. */
    static final long DEAD_LETTER_RETENTION_MS = Duration.ofDays(30).toMillis();

    TopicSpec {
        baseConfigs = Map.copyOf(baseConfigs);
    }

    /** Returns the requirements of the four topics, segments first. */
    static List<TopicSpec> all(Topics topics, TopicSettings settings) {
        TopicSpec segments = new TopicSpec(topics.segments(), TopicConfig.CLEANUP_POLICY_DELETE,
                "chunks of a namespace share its key, so compaction could drop chunks before a worker reads them",
                false,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, Long.toString(settings.segmentsRetentionMs()),
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(settings.maxMessageBytes())));
        TopicSpec meta = compacted(topics.meta(),
                "it must keep the latest durable frame of every namespace for as long as the namespace exists");
        TopicSpec catalog = compacted(topics.catalog(),
                "it must keep one record per durable segment for as long as the segment exists");
        TopicSpec deadLetters = new TopicSpec(topics.deadLetters(), TopicConfig.CLEANUP_POLICY_DELETE,
                "dead letters of a namespace share its key, so compaction would keep only the last one", false,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, Long.toString(DEAD_LETTER_RETENTION_MS)));
        return List.of(segments, meta, catalog, deadLetters);
    }

    /** Returns the creation configs for a topic with {@code replicationFactor} replicas, sorted by key. */
    Map<String, String> configs(short replicationFactor) {
        Map<String, String> configs = new TreeMap<>(baseConfigs);
        // Two in-sync copies before an ack (acks=all) when there are enough replicas; one broker can only give one.
        configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(Math.min(2, replicationFactor)));
        return configs;
    }

    private static TopicSpec compacted(String name, String why) {
        // min.compaction.lag.ms=0: the latest value is all readers need, and compaction may start at once.
        return new TopicSpec(name, TopicConfig.CLEANUP_POLICY_COMPACT, why, true,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "0"));
    }
}
