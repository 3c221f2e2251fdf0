package dev.fathom.producer;

import dev.fathom.producer.restore.ReadSettings;
import dev.fathom.producer.storage.StorageProfile;
import dev.fathom.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

/**
 * Typed, validated configuration of a {@link FathomStorage}; the only place that reads its keys. Immutable and
 * thread-safe. Kafka client settings pass through by prefix ({@code kafka.producer.}, {@code kafka.consumer.},
 * {@code kafka.admin.}), except the few Fathom's guarantees depend on (see {@link KafkaClientSettings}); the
 * connection security keys ({@code kafka.security.protocol}, {@code kafka.sasl.*}, {@code kafka.ssl.*}, see
 * {@link KafkaSecurity}) apply to every client.
 * docs/config-producer.md is generated from {@link #configDef()} (cli's ConfigReference).
 */
public final class FathomStorageConfig extends AbstractConfig {

    public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
    private static final String BOOTSTRAP_SERVERS_DOC = "Kafka bootstrap servers, host:port[,host:port...].";

    public static final String NODE_ID_CONFIG = "node.id";
    private static final String NODE_ID_DOC = "Stable identity of this database node, 1-128 chars of [A-Za-z0-9._-]."
            + " Gives the Kafka transactional.id 'fathom-node-<node.id>': two live nodes must never share it.";

    public static final String CHUNK_MAX_BYTES_CONFIG = "chunk.max.bytes";
    private static final String CHUNK_MAX_BYTES_DOC = "Largest frames payload of one SegmentChunk record, in bytes."
            + " Segments are split at frame boundaries, so it must hold one frame of the largest page (65552 bytes),"
            + " and stay below the segments topic's max.message.bytes (8 MiB) with room for the record overhead.";
    public static final int CHUNK_MAX_BYTES_DEFAULT = 1024 * 1024;
    static final int CHUNK_MAX_BYTES_MIN = 16 + 65536;
    static final int CHUNK_MAX_BYTES_MAX = 8 * 1024 * 1024 - 64 * 1024;

    public static final String QUEUE_MAX_SEGMENTS_CONFIG = "queue.max.segments";
    private static final String QUEUE_MAX_SEGMENTS_DOC = "Most segments stored but not yet committed to Kafka.";
    public static final int QUEUE_MAX_SEGMENTS_DEFAULT = 1000;

    public static final String QUEUE_MAX_BYTES_CONFIG = "queue.max.bytes";
    private static final String QUEUE_MAX_BYTES_DOC = "Most encoded frame bytes of segments stored but not yet"
            + " committed to Kafka. One segment larger than this is still accepted when the queue is empty.";
    public static final long QUEUE_MAX_BYTES_DEFAULT = 256L * 1024 * 1024;

    public static final String QUEUE_FULL_BEHAVIOR_CONFIG = "queue.full.behavior";
    private static final String QUEUE_FULL_BEHAVIOR_DOC = "What store() does when the queue is full: 'block' waits"
            + " up to queue.block.timeout.ms, 'fail' throws QueueFullException at once. Segments are never dropped.";

    public static final String QUEUE_BLOCK_TIMEOUT_MS_CONFIG = "queue.block.timeout.ms";
    private static final String QUEUE_BLOCK_TIMEOUT_MS_DOC = "With queue.full.behavior=block, how long store() waits"
            + " for space before throwing QueueFullException, in milliseconds.";

    public static final String SHUTDOWN_TIMEOUT_MS_CONFIG = "shutdown.timeout.ms";
    private static final String SHUTDOWN_TIMEOUT_MS_DOC = "How long shutdown() waits to publish queued segments and"
            + " for published segments to become durable, in milliseconds. Callbacks still pending then get a"
            + " StorageShutdownException.";

    public static final String STARTUP_TIMEOUT_MS_CONFIG = "startup.timeout.ms";
    private static final String STARTUP_TIMEOUT_MS_DOC = "How long start() waits for the durability watcher to read"
            + " the meta topic up to its end (so durableFrameNo() is current), in milliseconds; start() then"
            + " continues with a warning.";

    public static final String TOPIC_SEGMENTS_CONFIG = "topic.segments";
    public static final String TOPIC_META_CONFIG = "topic.meta";
    public static final String TOPIC_CATALOG_CONFIG = "topic.catalog";
    public static final String TOPIC_DLQ_CONFIG = "topic.dlq";

    public static final String TOPIC_PARTITIONS_CONFIG = "topic.partitions";
    private static final String TOPIC_PARTITIONS_DOC = "Partitions of the segments, meta and catalog topics when"
            + " Fathom creates them (existing topics are checked, never changed).";
    public static final int TOPIC_PARTITIONS_DEFAULT = 12;

    public static final String PUBLISH_MAX_TRANSACTION_BYTES_CONFIG = "publish.max.transaction.bytes";
    private static final String PUBLISH_MAX_TRANSACTION_BYTES_DOC = "Most encoded frame bytes published in one Kafka"
            + " transaction; queued segments are grouped up to this. A larger single segment gets its own transaction.";
    public static final long PUBLISH_MAX_TRANSACTION_BYTES_DEFAULT = 64L * 1024 * 1024;

    public static final String OUTBOX_DIR_CONFIG = "outbox.dir";
    private static final String OUTBOX_DIR_DOC = "Directory of the local outbox. When set, store() writes each sealed"
            + " segment to a file there and fsyncs it (and the directory) before it returns; the file is deleted once"
            + " the segment is durable, and the next start publishes what a crash, forceShutdown or Kafka outage left"
            + " there, in frame order per namespace. Empty: no outbox, segments wait in memory only (lost if the"
            + " process dies before they are published). One directory per FathomStorage (it is locked).";

    public static final String OUTBOX_MAX_BYTES_CONFIG = "outbox.max.bytes";
    private static final String OUTBOX_MAX_BYTES_DOC = "Most bytes of outbox entry files (segments stored but not yet"
            + " durable). When full, store() blocks or fails as queue.full.behavior says; with an outbox this bound"
            + " replaces queue.max.segments and queue.max.bytes. One segment larger than this is still accepted when"
            + " the outbox is empty.";
    public static final long OUTBOX_MAX_BYTES_DEFAULT = 1024L * 1024 * 1024;

    public static final String META_URLS_CONFIG = "meta.urls";
    public static final String META_REQUEST_TIMEOUT_MS_CONFIG = "meta.request.timeout.ms";
    public static final String RESTORE_PARALLELISM_CONFIG = "restore.parallelism";
    public static final String PAGE_CACHE_MAX_PAGES_CONFIG = "page.cache.max.pages";

    public static final String PRODUCER_PREFIX = "kafka.producer.";
    public static final String CONSUMER_PREFIX = "kafka.consumer.";
    public static final String ADMIN_PREFIX = "kafka.admin.";

    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final long DEFAULT_TIMEOUT_MS = 60_000L;

    private static final ConfigDef CONFIG = staticKeys();

    public FathomStorageConfig(Map<?, ?> originals) {
        super(ReadPathKeys.withProfiles(CONFIG, originals), originals);
        try {
            topics();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid topic names (" + TOPIC_SEGMENTS_CONFIG + ", " + TOPIC_META_CONFIG + ", "
                    + TOPIC_CATALOG_CONFIG + ", " + TOPIC_DLQ_CONFIG + "): " + e.getMessage());
        }
        KafkaClientSettings.validateOverrides(this);
        KafkaSecurity.validate(this);
    }

    /** Returns the definition of every key, for documentation: the per-profile keys under the name {@code <name>}. */
    public static ConfigDef configDef() {
        return ReadPathKeys.documented(staticKeys());
    }

    /** Every key except the per-profile ones, whose names come from storage.profiles. */
    private static ConfigDef staticKeys() {
        return KafkaSecurity.define(ReadPathKeys.define(defineOutbox(defineTopics(defineClientAndQueue(
                new ConfigDef())))));
    }

    private static ConfigDef defineClientAndQueue(ConfigDef def) {
        return def
                .define(BOOTSTRAP_SERVERS_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
                        new ConfigDef.NonEmptyString(), Importance.HIGH, BOOTSTRAP_SERVERS_DOC)
                .define(NODE_ID_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, matching(NODE_ID),
                        Importance.HIGH, NODE_ID_DOC)
                .define(CHUNK_MAX_BYTES_CONFIG, Type.INT, CHUNK_MAX_BYTES_DEFAULT,
                        Range.between(CHUNK_MAX_BYTES_MIN, CHUNK_MAX_BYTES_MAX), Importance.LOW, CHUNK_MAX_BYTES_DOC)
                .define(QUEUE_MAX_SEGMENTS_CONFIG, Type.INT, QUEUE_MAX_SEGMENTS_DEFAULT, Range.atLeast(1),
                        Importance.MEDIUM, QUEUE_MAX_SEGMENTS_DOC)
                .define(QUEUE_MAX_BYTES_CONFIG, Type.LONG, QUEUE_MAX_BYTES_DEFAULT, Range.atLeast(1),
                        Importance.MEDIUM, QUEUE_MAX_BYTES_DOC)
                .define(QUEUE_FULL_BEHAVIOR_CONFIG, Type.STRING, QueueFullBehavior.BLOCK.configValue(),
                        ValidString.in(QueueFullBehavior.BLOCK.configValue(), QueueFullBehavior.FAIL.configValue()),
                        Importance.MEDIUM, QUEUE_FULL_BEHAVIOR_DOC)
                .define(QUEUE_BLOCK_TIMEOUT_MS_CONFIG, Type.LONG, DEFAULT_TIMEOUT_MS, Range.atLeast(0),
                        Importance.MEDIUM, QUEUE_BLOCK_TIMEOUT_MS_DOC)
                .define(SHUTDOWN_TIMEOUT_MS_CONFIG, Type.LONG, DEFAULT_TIMEOUT_MS, Range.atLeast(0),
                        Importance.MEDIUM, SHUTDOWN_TIMEOUT_MS_DOC)
                .define(STARTUP_TIMEOUT_MS_CONFIG, Type.LONG, DEFAULT_TIMEOUT_MS, Range.atLeast(0),
                        Importance.LOW, STARTUP_TIMEOUT_MS_DOC)
                .define(PUBLISH_MAX_TRANSACTION_BYTES_CONFIG, Type.LONG, PUBLISH_MAX_TRANSACTION_BYTES_DEFAULT,
                        Range.atLeast(1), Importance.LOW, PUBLISH_MAX_TRANSACTION_BYTES_DOC);
    }

    private static ConfigDef defineOutbox(ConfigDef def) {
        return def
                .define(OUTBOX_DIR_CONFIG, Type.STRING, "", Importance.MEDIUM, OUTBOX_DIR_DOC)
                .define(OUTBOX_MAX_BYTES_CONFIG, Type.LONG, OUTBOX_MAX_BYTES_DEFAULT, Range.atLeast(1),
                        Importance.MEDIUM, OUTBOX_MAX_BYTES_DOC);
    }

    private static ConfigDef defineTopics(ConfigDef def) {
        Topics topics = Topics.defaults();
        return def
                .define(TOPIC_SEGMENTS_CONFIG, Type.STRING, topics.segments(), matching(TOPIC_NAME), Importance.LOW,
                        "Topic of sealed-segment chunks, keyed by namespace.")
                .define(TOPIC_META_CONFIG, Type.STRING, topics.meta(), matching(TOPIC_NAME), Importance.LOW,
                        "Compacted topic of durable frame numbers, keyed by namespace.")
                .define(TOPIC_CATALOG_CONFIG, Type.STRING, topics.catalog(), matching(TOPIC_NAME), Importance.LOW,
                        "Compacted topic of durable segments, keyed by <namespace>/<end frame>.")
                .define(TOPIC_DLQ_CONFIG, Type.STRING, topics.deadLetters(), matching(TOPIC_NAME), Importance.LOW,
                        "Topic of segments the workers rejected as poison.")
                .define(TOPIC_PARTITIONS_CONFIG, Type.INT, TOPIC_PARTITIONS_DEFAULT, Range.atLeast(1),
                        Importance.LOW, TOPIC_PARTITIONS_DOC);
    }

    private static ConfigDef.Validator matching(Pattern pattern) {
        return new PatternValidator(pattern);
    }

    /** Accepts strings matching a pattern, except the path segments '.' and '..'. */
    private record PatternValidator(Pattern pattern) implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || !pattern.matcher(value.toString()).matches()
                    || ".".equals(value) || "..".equals(value)) {
                throw new ConfigException(name, value, "must match " + this);
            }
        }

        @Override
        public String toString() {
            return pattern.pattern() + ", not '.' or '..'";
        }
    }

    /** Returns the Kafka bootstrap servers. */
    public String bootstrapServers() {
        return getString(BOOTSTRAP_SERVERS_CONFIG);
    }

    /** Returns this node's identity. */
    public String nodeId() {
        return getString(NODE_ID_CONFIG);
    }

    /** Returns the largest frames payload of one chunk, in bytes. */
    public int chunkMaxBytes() {
        return getInt(CHUNK_MAX_BYTES_CONFIG);
    }

    /** Returns the most segments in the queue (queued and in the transaction being published). */
    public int queueMaxSegments() {
        return getInt(QUEUE_MAX_SEGMENTS_CONFIG);
    }

    /** Returns the most encoded frame bytes in the queue. */
    public long queueMaxBytes() {
        return getLong(QUEUE_MAX_BYTES_CONFIG);
    }

    /** Returns what store() does when the queue is full. */
    public QueueFullBehavior queueFullBehavior() {
        return QueueFullBehavior.fromConfigValue(getString(QUEUE_FULL_BEHAVIOR_CONFIG));
    }

    /** Returns how long a blocked store() waits for space. */
    public Duration queueBlockTimeout() {
        return Duration.ofMillis(getLong(QUEUE_BLOCK_TIMEOUT_MS_CONFIG));
    }

    /** Returns how long shutdown() waits for publishing and durability. */
    public Duration shutdownTimeout() {
        return Duration.ofMillis(getLong(SHUTDOWN_TIMEOUT_MS_CONFIG));
    }

    /** Returns how long start() waits for the durability watcher to catch up. */
    public Duration startupTimeout() {
        return Duration.ofMillis(getLong(STARTUP_TIMEOUT_MS_CONFIG));
    }

    /** Returns the topic names. */
    public Topics topics() {
        return new Topics(getString(TOPIC_SEGMENTS_CONFIG), getString(TOPIC_META_CONFIG),
                getString(TOPIC_CATALOG_CONFIG), getString(TOPIC_DLQ_CONFIG));
    }

    /** Returns the partition count for topics Fathom creates. */
    public int topicPartitions() {
        return getInt(TOPIC_PARTITIONS_CONFIG);
    }

    /** Returns the most encoded frame bytes per Kafka transaction. */
    public long publishMaxTransactionBytes() {
        return getLong(PUBLISH_MAX_TRANSACTION_BYTES_CONFIG);
    }

    /** Returns the outbox directory, empty when no outbox is configured. */
    public Optional<Path> outboxDir() {
        String dir = getString(OUTBOX_DIR_CONFIG).trim();
        return dir.isEmpty() ? Optional.empty() : Optional.of(Path.of(dir));
    }

    /** Returns the most bytes of outbox entry files. */
    public long outboxMaxBytes() {
        return getLong(OUTBOX_MAX_BYTES_CONFIG);
    }

    /** Returns the storage profiles of {@code storage.profiles}, in that order; only the read path uses them. */
    public List<StorageProfile> storageProfiles() {
        return getList(StorageProfile.PROFILES_CONFIG).stream().map(name -> StorageProfile.read(this::get, name))
                .toList();
    }

    /** Returns the read path's settings: meta API URLs and timeout, restore parallelism, page cache size. */
    public ReadSettings readSettings() {
        return new ReadSettings(ReadPathKeys.urls(getList(META_URLS_CONFIG)),
                Duration.ofMillis(getLong(META_REQUEST_TIMEOUT_MS_CONFIG)), getInt(RESTORE_PARALLELISM_CONFIG),
                getInt(PAGE_CACHE_MAX_PAGES_CONFIG));
    }

    /** Returns the connection security settings for every Kafka client, {@code kafka.} prefix removed. */
    public Map<String, Object> securitySettings() {
        return KafkaSecurity.clientSettings(this);
    }

    /** Returns the {@code kafka.producer.*} settings without their prefix. */
    public Map<String, Object> producerOverrides() {
        return originalsWithPrefix(PRODUCER_PREFIX);
    }

    /** Returns the {@code kafka.consumer.*} settings without their prefix. */
    public Map<String, Object> consumerOverrides() {
        return originalsWithPrefix(CONSUMER_PREFIX);
    }

    /** Returns the {@code kafka.admin.*} settings without their prefix. */
    public Map<String, Object> adminOverrides() {
        return originalsWithPrefix(ADMIN_PREFIX);
    }
}
