package dev.fathom.worker;

import dev.fathom.producer.KafkaSecurity;
import dev.fathom.producer.storage.StorageProfile;
import dev.fathom.schemas.TopicSettings;
import dev.fathom.schemas.Topics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Typed, validated configuration of a worker; the only place that reads its keys. Immutable and thread-safe.
 *
 * <p>Storage profiles are dynamic keys: {@code storage.profiles=default,archive} declares the names, then
 * {@code storage.profile.<name>.*} (see {@link StorageProfile}) configures each. Kafka client settings pass through by
 * prefix ({@code kafka.producer.}, {@code kafka.consumer.}, {@code kafka.admin.}, {@code kafka.streams.}); the worker
 * enforces the few its guarantees depend on. The connection security keys ({@code kafka.security.protocol},
 * {@code kafka.sasl.*}, {@code kafka.ssl.*}, see {@link KafkaSecurity}) come first in every client's settings, so
 * each of those maps carries them. docs/config-worker.md is generated from {@link #documentedConfigDef()}.
 */
public final class WorkerConfig extends AbstractConfig {

    public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
    public static final String GROUP_ID_CONFIG = "group.id";
    public static final String GROUP_ID_DEFAULT = "fathom-workers";
    public static final String WORKER_ID_CONFIG = "worker.id";
    public static final String TOPIC_SEGMENTS_CONFIG = "topic.segments";
    public static final String TOPIC_META_CONFIG = "topic.meta";
    public static final String TOPIC_CATALOG_CONFIG = "topic.catalog";
    public static final String TOPIC_DLQ_CONFIG = "topic.dlq";
    public static final String TOPIC_PARTITIONS_CONFIG = "topic.partitions";
    public static final String TOPIC_REPLICATION_FACTOR_CONFIG = "topic.replication.factor";
    public static final String TOPIC_SEGMENTS_RETENTION_MS_CONFIG = "topic.segments.retention.ms";
    public static final String TOPIC_MAX_MESSAGE_BYTES_CONFIG = "topic.max.message.bytes";
    public static final String HTTP_LISTEN_HOST_CONFIG = "http.listen.host";
    public static final String HTTP_PORT_CONFIG = "http.port";
    public static final String HTTP_ADVERTISED_HOST_CONFIG = "http.advertised.host";
    public static final String STATE_DIR_CONFIG = "state.dir";
    public static final String STORAGE_PROFILES_CONFIG = StorageProfile.PROFILES_CONFIG;
    public static final String MAX_IN_FLIGHT_JOBS_CONFIG = "max.in.flight.jobs";
    public static final int MAX_IN_FLIGHT_JOBS_DEFAULT = 4;
    public static final String MAX_BACKLOG_BYTES_CONFIG = "max.backlog.bytes";
    public static final long MAX_BACKLOG_BYTES_DEFAULT = 256L * 1024 * 1024;
    public static final String MAX_BACKLOG_SEGMENTS_CONFIG = "max.backlog.segments";
    public static final int MAX_BACKLOG_SEGMENTS_DEFAULT = 256;
    public static final String JOB_RETRY_BACKOFF_MS_CONFIG = "job.retry.backoff.ms";
    public static final String JOB_RETRY_BACKOFF_MAX_MS_CONFIG = "job.retry.backoff.max.ms";
    public static final String META_LOAD_TIMEOUT_MS_CONFIG = "meta.load.timeout.ms";
    public static final String FAULT_BLOCK_BEFORE_COMMIT_CONFIG = "fault.block.before.commit.marker.file";

    public static final String PRODUCER_PREFIX = "kafka.producer.";
    public static final String CONSUMER_PREFIX = "kafka.consumer.";
    public static final String ADMIN_PREFIX = "kafka.admin.";
    public static final String STREAMS_PREFIX = "kafka.streams.";

    private static final ConfigDef BASE = baseDef();

    /**
     * Parses and validates {@code props}.
     *
     * @throws ConfigException naming the key when a value is missing or invalid
     */
    public WorkerConfig(Map<?, ?> props) {
        super(withProfiles(props), props, false);
        KafkaSecurity.validate(this);
        allowedNamespaces();
    }

    /** Returns the static keys (without the per-profile ones), for documentation. */
    public static ConfigDef configDef() {
        return new ConfigDef(BASE);
    }

    /** Returns the static keys plus the per-profile keys under the placeholder name {@code <name>}, for the docs. */
    public static ConfigDef documentedConfigDef() {
        ConfigDef def = configDef();
        StorageProfile.define(def, "<name>");
        NamespaceAllowList.define(def, "<name>");
        return def;
    }

    public String bootstrapServers() {
        return String.join(",", getList(BOOTSTRAP_SERVERS_CONFIG));
    }

    public String groupId() {
        return getString(GROUP_ID_CONFIG);
    }

    /** Returns this instance's id; defaults to the host name. The transactional id is derived from it. */
    public String workerId() {
        String id = getString(WORKER_ID_CONFIG);
        return id.isEmpty() ? localHostName() : id;
    }

    /** Returns the Kafka transactional id of this worker's producer: {@code fathom-worker-<worker.id>}. */
    public String transactionalId() {
        return "fathom-worker-" + workerId();
    }

    public Topics topics() {
        return new Topics(getString(TOPIC_SEGMENTS_CONFIG), getString(TOPIC_META_CONFIG),
                getString(TOPIC_CATALOG_CONFIG), getString(TOPIC_DLQ_CONFIG));
    }

    public TopicSettings topicSettings() {
        return new TopicSettings(getInt(TOPIC_PARTITIONS_CONFIG), getShort(TOPIC_REPLICATION_FACTOR_CONFIG),
                getLong(TOPIC_SEGMENTS_RETENTION_MS_CONFIG), getInt(TOPIC_MAX_MESSAGE_BYTES_CONFIG));
    }

    public String httpListenHost() {
        return getString(HTTP_LISTEN_HOST_CONFIG);
    }

    public int httpPort() {
        return getInt(HTTP_PORT_CONFIG);
    }

    public String httpAdvertisedHost() {
        return getString(HTTP_ADVERTISED_HOST_CONFIG);
    }

    public Path stateDir() {
        return Path.of(getString(STATE_DIR_CONFIG));
    }

    /** Returns the configured storage profiles, in the order of {@code storage.profiles}. */
    public List<StorageProfile> storageProfiles() {
        return getList(STORAGE_PROFILES_CONFIG).stream().map(name -> StorageProfile.read(this::get, name)).toList();
    }

    /** Returns, per storage profile name, the namespaces allowed to use it ({@code allowed.namespaces}). */
    public Map<String, NamespaceAllowList> allowedNamespaces() {
        Map<String, NamespaceAllowList> allowed = new LinkedHashMap<>();
        getList(STORAGE_PROFILES_CONFIG).forEach(name -> allowed.put(name, NamespaceAllowList.read(this::get, name)));
        return allowed;
    }

    /** Returns a description of the Kafka connection security for start-up logs, without secrets. */
    public String kafkaSecurity() {
        return KafkaSecurity.describe(this);
    }

    public int maxInFlightJobs() {
        return getInt(MAX_IN_FLIGHT_JOBS_CONFIG);
    }

    public long maxBacklogBytes() {
        return getLong(MAX_BACKLOG_BYTES_CONFIG);
    }

    public int maxBacklogSegments() {
        return getInt(MAX_BACKLOG_SEGMENTS_CONFIG);
    }

    public Duration jobRetryBackoff() {
        return Duration.ofMillis(getLong(JOB_RETRY_BACKOFF_MS_CONFIG));
    }

    public Duration jobRetryBackoffMax() {
        return Duration.ofMillis(getLong(JOB_RETRY_BACKOFF_MAX_MS_CONFIG));
    }

    public Duration metaLoadTimeout() {
        return Duration.ofMillis(getLong(META_LOAD_TIMEOUT_MS_CONFIG));
    }

    /** Returns the fault-injection marker file, when set (tests only). */
    public Optional<Path> faultBlockBeforeCommitMarker() {
        String path = getString(FAULT_BLOCK_BEFORE_COMMIT_CONFIG);
        return path == null || path.isBlank() ? Optional.empty() : Optional.of(Path.of(path));
    }

    /** Returns the security settings, then the {@code kafka.producer.*} ones (prefix removed, they win). */
    public Map<String, Object> producerOverrides() {
        return withSecurity(PRODUCER_PREFIX);
    }

    /** Returns the security settings, then the {@code kafka.consumer.*} ones (prefix removed, they win). */
    public Map<String, Object> consumerOverrides() {
        return withSecurity(CONSUMER_PREFIX);
    }

    /** Returns the security settings, then the {@code kafka.admin.*} ones (prefix removed, they win). */
    public Map<String, Object> adminOverrides() {
        return withSecurity(ADMIN_PREFIX);
    }

    /** Returns the security settings, then the {@code kafka.streams.*} ones (prefix removed, they win). */
    public Map<String, Object> streamsOverrides() {
        return withSecurity(STREAMS_PREFIX);
    }

    private Map<String, Object> withSecurity(String prefix) {
        Map<String, Object> settings = new LinkedHashMap<>(KafkaSecurity.clientSettings(this));
        settings.putAll(originalsWithPrefix(prefix));
        return settings;
    }

    private static ConfigDef withProfiles(Map<?, ?> props) {
        ConfigDef def = new ConfigDef(BASE);
        StorageProfile.declaredNames(props.get(STORAGE_PROFILES_CONFIG), List.of(StorageProfile.DEFAULT_NAME))
                .forEach(name -> {
                    StorageProfile.define(def, name);
                    NamespaceAllowList.define(def, name);
                });
        return def;
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new ConfigException(WORKER_ID_CONFIG, "", "not set and the host name is unknown ("
                    + e.getMessage() + "); set " + WORKER_ID_CONFIG + " explicitly");
        }
    }

    private static ConfigDef baseDef() {
        ConfigDef def = new ConfigDef();
        WorkerConfigKeys.defineKafka(def);
        WorkerConfigKeys.defineHttp(def);
        WorkerConfigKeys.defineJobs(def);
        KafkaSecurity.define(def);
        def.define(STORAGE_PROFILES_CONFIG, Type.LIST, StorageProfile.DEFAULT_NAME, Importance.HIGH,
                "Names of the storage profiles this worker can write to, comma separated. Each name needs"
                        + " storage.profile.<name>.bucket (and optionally prefix, endpoint, region, path.style,"
                        + " access.key, secret.key, allowed.namespaces). A segment naming another profile is"
                        + " dead-lettered.");
        def.define(FAULT_BLOCK_BEFORE_COMMIT_CONFIG, Type.STRING, null, Importance.LOW,
                "FAULT INJECTION FOR TESTS ONLY. When set to a file path, the worker creates that file after the"
                        + " first job's upload finished and before its commit transaction, then blocks until the file"
                        + " is deleted, so a test can kill -9 the process at exactly that moment or release it as a"
                        + " zombie. Never set it in production.");
        return def;
    }
}
