package dev.fathom.schemas;

import java.time.Duration;

/**
 * How {@link TopicProvisioner} creates missing topics. Immutable and thread-safe.
 *
 * @param partitions partitions of the segments topic, and therefore of meta and catalog (>= 1)
 * @param replicationFactor replicas per partition (>= 1), or -1 for min(3, live brokers)
 * @param segmentsRetentionMs retention of the segments topic in milliseconds (> 0, or -1 for unlimited)
 * @param maxMessageBytes max.message.bytes of the segments topic: the largest chunk batch the broker accepts (> 0)
 */
public record TopicSettings(int partitions, short replicationFactor, long segmentsRetentionMs, int maxMessageBytes) {
    /** Default partition count: the most workers a deployment can spread segments over. */
    public static final int DEFAULT_PARTITIONS = 12;
    /** Replication factor meaning "min(3, live brokers)". */
    public static final short REPLICATION_FACTOR_AUTO = -1;
    /** Default segments retention: long enough to ride out a week-long worker or S3 outage. */
    public static final long DEFAULT_SEGMENTS_RETENTION_MS = Duration.ofDays(7).toMillis();
    /** Default max.message.bytes of the segments topic: 8 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException naming the setting and its value when one is out of range
     */
    public TopicSettings {
        if (partitions < 1) {
            throw new IllegalArgumentException("Topic partitions must be >= 1, got " + partitions);
        }
        if (replicationFactor < 1 && replicationFactor != REPLICATION_FACTOR_AUTO) {
            throw new IllegalArgumentException("Topic replication factor must be >= 1 or -1 (automatic), got "
                    + replicationFactor);
        }
        if (segmentsRetentionMs <= 0 && segmentsRetentionMs != -1) {
            throw new IllegalArgumentException("Segments retention must be > 0 ms or -1 (unlimited), got "
                    + segmentsRetentionMs);
        }
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("Segments max.message.bytes must be >= 1, got " + maxMessageBytes);
        }
    }

    /** Returns 12 partitions, automatic replication factor, 7 days of segment retention and 8 MiB messages. */
    public static TopicSettings defaults() {
        return new TopicSettings(DEFAULT_PARTITIONS, REPLICATION_FACTOR_AUTO, DEFAULT_SEGMENTS_RETENTION_MS,
                DEFAULT_MAX_MESSAGE_BYTES);
    }
}
