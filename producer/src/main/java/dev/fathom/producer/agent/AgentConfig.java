package dev.fathom.producer.agent;

import dev.fathom.producer.FathomStorageConfig;
import dev.fathom.schemas.Namespace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Typed, validated configuration of the SQLite agent; the only place that reads its keys. Every key that is not an
 * agent key passes through to the {@link FathomStorageConfig} of the agent's storage (bootstrap.servers, node.id,
 * outbox.dir, kafka.producer.*, ...). Immutable and thread-safe. docs/config-agent.md is generated from
 * {@link #configDef()} (cli's ConfigReference).
 *
 * <p>Namespace rule: a database's namespace is its file name without the last extension ({@code orders.db} →
 * {@code orders}, {@code eu.orders.sqlite} → {@code eu.orders}, {@code orders} → {@code orders}); it must be a valid
 * namespace (1-128 of [A-Za-z0-9._-], not '.' or '..'). Two databases with the same namespace are refused.
 */
public final class AgentConfig extends AbstractConfig {

    public static final String DATABASES_CONFIG = "databases";
    private static final String DATABASES_DOC = "Database files to ship, comma-separated paths. Each database's"
            + " namespace is its file name without the last extension (orders.db -> orders); it must be 1-128 chars"
            + " of [A-Za-z0-9._-]. A path whose file does not exist yet is picked up once it appears.";

    public static final String WATCH_DIR_CONFIG = "watch.dir";
    private static final String WATCH_DIR_DOC = "Directory scanned for databases matching watch.glob, so databases"
            + " created later are shipped too; empty = no scanning (only the databases list).";

    public static final String WATCH_GLOB_CONFIG = "watch.glob";
    private static final String WATCH_GLOB_DOC = "Glob of database file names in watch.dir (java.nio PathMatcher"
            + " syntax). Files ending in -wal, -shm or -journal never match.";
    public static final String WATCH_GLOB_DEFAULT = "*.db";

    public static final String WATCH_INTERVAL_MS_CONFIG = "watch.interval.ms";
    private static final String WATCH_INTERVAL_MS_DOC = "How often watch.dir and missing database paths are"
            + " scanned, in milliseconds.";
    public static final long WATCH_INTERVAL_MS_DEFAULT = 1000L;

    public static final String STATE_DIR_CONFIG = "state.dir";
    private static final String STATE_DIR_DOC = "Directory of the agent's state: per database, the mapping of"
            + " WAL positions to frame numbers that a restart resumes from. Must survive restarts.";

    public static final String SEGMENT_MAX_BYTES_CONFIG = "segment.max.bytes";
    private static final String SEGMENT_MAX_BYTES_DOC = "A segment is sealed at the first commit once its pages"
            + " reach this many bytes. A single larger transaction becomes one larger segment.";
    public static final long SEGMENT_MAX_BYTES_DEFAULT = 4L * 1024 * 1024;

    public static final String SEGMENT_MAX_AGE_MS_CONFIG = "segment.max.age.ms";
    private static final String SEGMENT_MAX_AGE_MS_DOC = "A segment is sealed once its oldest transaction was read"
            + " this many milliseconds ago: the most a committed transaction waits before it is published.";
    public static final long SEGMENT_MAX_AGE_MS_DEFAULT = 1000L;

    public static final String POLL_INTERVAL_MS_CONFIG = "poll.interval.ms";
    private static final String POLL_INTERVAL_MS_DOC = "Pause between two reads of a database's WAL, in"
            + " milliseconds.";
    public static final long POLL_INTERVAL_MS_DEFAULT = 100L;

    public static final String CHECKPOINT_INTERVAL_MS_CONFIG = "checkpoint.interval.ms";
    private static final String CHECKPOINT_INTERVAL_MS_DOC = "How often the agent checkpoints a database's WAL"
            + " (PASSIVE, then TRUNCATE), in milliseconds; only when every frame read so far is durable.";
    public static final long CHECKPOINT_INTERVAL_MS_DEFAULT = 10_000L;

    public static final String BUSY_TIMEOUT_MS_CONFIG = "sqlite.busy.timeout.ms";
    private static final String BUSY_TIMEOUT_MS_DOC = "busy_timeout of the agent's own SQLite connections, in"
            + " milliseconds: how long a checkpoint waits for the application's locks.";
    public static final long BUSY_TIMEOUT_MS_DEFAULT = 5000L;

    public static final String STORAGE_PROFILE_CONFIG = "storage.profile";
    private static final String STORAGE_PROFILE_DOC = "Storage profile name sent with every segment; the workers"
            + " resolve it to a bucket.";

    public static final String HTTP_PORT_CONFIG = "http.port";
    private static final String HTTP_PORT_DOC = "Port of the agent's operator endpoints: GET /metrics (Prometheus),"
            + " /health and /ready. -1 = no HTTP port (the default: an agent embedded in an application adds no"
            + " listener unless asked); 0 = any free port (logged at start).";
    public static final int HTTP_PORT_DEFAULT = -1;

    public static final String HTTP_LISTEN_HOST_CONFIG = "http.listen.host";
    private static final String HTTP_LISTEN_HOST_DOC = "Interface the operator endpoints bind to when http.port is"
            + " not -1.";
    public static final String HTTP_LISTEN_HOST_DEFAULT = "0.0.0.0";

    private static final ConfigDef CONFIG = configDef();

    public AgentConfig(Map<?, ?> originals) {
        super(CONFIG, originals, false);
        if (databases().isEmpty() && watchDir().isEmpty()) {
            throw new ConfigException("Nothing to ship: set " + DATABASES_CONFIG + " and/or " + WATCH_DIR_CONFIG);
        }
        if (!Namespace.isValid(storageProfile())) {
            throw new ConfigException(STORAGE_PROFILE_CONFIG, storageProfile(),
                    "must be 1-128 chars of [A-Za-z0-9._-], not '.' or '..'");
        }
        Map<String, Path> byNamespace = new HashMap<>();
        for (Path db : databases()) {
            Path other = byNamespace.put(namespaceOf(db), db);
            if (other != null) {
                throw new ConfigException("Databases " + other + " and " + db + " both map to namespace '"
                        + namespaceOf(db) + "' (the file name without its extension); rename one");
            }
        }
        storageConfig();
    }

    /** Returns the definition of every agent key, for documentation. */
    public static ConfigDef configDef() {
        return new ConfigDef()
                .define(DATABASES_CONFIG, Type.LIST, List.of(), Importance.HIGH, DATABASES_DOC)
                .define(WATCH_DIR_CONFIG, Type.STRING, "", Importance.HIGH, WATCH_DIR_DOC)
                .define(WATCH_GLOB_CONFIG, Type.STRING, WATCH_GLOB_DEFAULT, new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM, WATCH_GLOB_DOC)
                .define(WATCH_INTERVAL_MS_CONFIG, Type.LONG, WATCH_INTERVAL_MS_DEFAULT, Range.atLeast(1),
                        Importance.LOW, WATCH_INTERVAL_MS_DOC)
                .define(STATE_DIR_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                        Importance.HIGH, STATE_DIR_DOC)
                .define(SEGMENT_MAX_BYTES_CONFIG, Type.LONG, SEGMENT_MAX_BYTES_DEFAULT, Range.atLeast(1),
                        Importance.MEDIUM, SEGMENT_MAX_BYTES_DOC)
                .define(SEGMENT_MAX_AGE_MS_CONFIG, Type.LONG, SEGMENT_MAX_AGE_MS_DEFAULT, Range.atLeast(0),
                        Importance.MEDIUM, SEGMENT_MAX_AGE_MS_DOC)
                .define(POLL_INTERVAL_MS_CONFIG, Type.LONG, POLL_INTERVAL_MS_DEFAULT, Range.atLeast(1),
                        Importance.LOW, POLL_INTERVAL_MS_DOC)
                .define(CHECKPOINT_INTERVAL_MS_CONFIG, Type.LONG, CHECKPOINT_INTERVAL_MS_DEFAULT, Range.atLeast(1),
                        Importance.LOW, CHECKPOINT_INTERVAL_MS_DOC)
                .define(BUSY_TIMEOUT_MS_CONFIG, Type.LONG, BUSY_TIMEOUT_MS_DEFAULT, Range.atLeast(0),
                        Importance.LOW, BUSY_TIMEOUT_MS_DOC)
                .define(STORAGE_PROFILE_CONFIG, Type.STRING, "default", Importance.MEDIUM, STORAGE_PROFILE_DOC)
                .define(HTTP_PORT_CONFIG, Type.INT, HTTP_PORT_DEFAULT, Range.between(-1, 65535), Importance.MEDIUM,
                        HTTP_PORT_DOC)
                .define(HTTP_LISTEN_HOST_CONFIG, Type.STRING, HTTP_LISTEN_HOST_DEFAULT, new ConfigDef.NonEmptyString(),
                        Importance.LOW, HTTP_LISTEN_HOST_DOC);
    }

    /**
     * Returns the namespace of database file {@code db}: its file name without the last extension.
     *
     * @throws ConfigException naming the file when the result is not a valid namespace
     */
    public static String namespaceOf(Path db) {
        Path name = db.getFileName();
        String file = name == null ? "" : name.toString();
        int dot = file.lastIndexOf('.');
        String namespace = dot > 0 ? file.substring(0, dot) : file;
        if (!Namespace.isValid(namespace)) {
            throw new ConfigException("Database " + db + " gives the invalid namespace '" + namespace
                    + "': the file name without its extension must be 1-128 chars of [A-Za-z0-9._-], not '.' or"
                    + " '..'; rename the file");
        }
        return namespace;
    }

    /** Returns the explicitly listed database files. */
    public List<Path> databases() {
        return getList(DATABASES_CONFIG).stream().map(String::trim).filter(s -> !s.isEmpty()).map(Path::of)
                .toList();
    }

    /** Returns the directory to scan, empty when none. */
    public Optional<Path> watchDir() {
        String dir = getString(WATCH_DIR_CONFIG).trim();
        return dir.isEmpty() ? Optional.empty() : Optional.of(Path.of(dir));
    }

    /** Returns the glob of database file names in the watched directory. */
    public String watchGlob() {
        return getString(WATCH_GLOB_CONFIG);
    }

    /** Returns how often the watched directory and missing databases are scanned. */
    public Duration watchInterval() {
        return Duration.ofMillis(getLong(WATCH_INTERVAL_MS_CONFIG));
    }

    /** Returns the directory of the persisted per-database state. */
    public Path stateDir() {
        return Path.of(getString(STATE_DIR_CONFIG));
    }

    /** Returns the seal policy built from segment.max.bytes and segment.max.age.ms. */
    public SealPolicy sealPolicy() {
        return new SealPolicy(getLong(SEGMENT_MAX_BYTES_CONFIG), Duration.ofMillis(getLong(SEGMENT_MAX_AGE_MS_CONFIG)));
    }

    /** Returns the pause between two WAL reads of a database. */
    public Duration pollInterval() {
        return Duration.ofMillis(getLong(POLL_INTERVAL_MS_CONFIG));
    }

    /** Returns how often a database is checkpointed (when everything read is durable). */
    public Duration checkpointInterval() {
        return Duration.ofMillis(getLong(CHECKPOINT_INTERVAL_MS_CONFIG));
    }

    /** Returns the busy timeout of the agent's SQLite connections. */
    public Duration busyTimeout() {
        return Duration.ofMillis(getLong(BUSY_TIMEOUT_MS_CONFIG));
    }

    /** Returns the storage profile sent with every segment. */
    public String storageProfile() {
        return getString(STORAGE_PROFILE_CONFIG);
    }

    /** Returns the port of the operator endpoints (0 = any free port), empty when http.port is -1. */
    public OptionalInt httpPort() {
        int port = getInt(HTTP_PORT_CONFIG);
        return port < 0 ? OptionalInt.empty() : OptionalInt.of(port);
    }

    /** Returns the interface the operator endpoints bind to. */
    public String httpListenHost() {
        return getString(HTTP_LISTEN_HOST_CONFIG);
    }

    /**
     * Returns the configuration of the agent's {@code FathomStorage}: every key that is not an agent key.
     *
     * @throws ConfigException when those keys are invalid
     */
    public FathomStorageConfig storageConfig() {
        Map<String, Object> storage = new HashMap<>(originals());
        CONFIG.names().forEach(storage::remove);
        return new FathomStorageConfig(storage);
    }
}
