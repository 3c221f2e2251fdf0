package dev.fathom.worker;

import static dev.fathom.worker.WorkerConfig.BOOTSTRAP_SERVERS_CONFIG;
import static dev.fathom.worker.WorkerConfig.GROUP_ID_CONFIG;
import static dev.fathom.worker.WorkerConfig.GROUP_ID_DEFAULT;
import static dev.fathom.worker.WorkerConfig.HTTP_ADVERTISED_HOST_CONFIG;
import static dev.fathom.worker.WorkerConfig.HTTP_LISTEN_HOST_CONFIG;
import static dev.fathom.worker.WorkerConfig.HTTP_PORT_CONFIG;
import static dev.fathom.worker.WorkerConfig.JOB_RETRY_BACKOFF_MAX_MS_CONFIG;
import static dev.fathom.worker.WorkerConfig.JOB_RETRY_BACKOFF_MS_CONFIG;
import static dev.fathom.worker.WorkerConfig.MAX_BACKLOG_BYTES_CONFIG;
import static dev.fathom.worker.WorkerConfig.MAX_BACKLOG_BYTES_DEFAULT;
import static dev.fathom.worker.WorkerConfig.MAX_BACKLOG_SEGMENTS_CONFIG;
import static dev.fathom.worker.WorkerConfig.MAX_BACKLOG_SEGMENTS_DEFAULT;
import static dev.fathom.worker.WorkerConfig.MAX_IN_FLIGHT_JOBS_CONFIG;
import static dev.fathom.worker.WorkerConfig.MAX_IN_FLIGHT_JOBS_DEFAULT;
import static dev.fathom.worker.WorkerConfig.META_LOAD_TIMEOUT_MS_CONFIG;
import static dev.fathom.worker.WorkerConfig.STATE_DIR_CONFIG;
import static dev.fathom.worker.WorkerConfig.TOPIC_CATALOG_CONFIG;
import static dev.fathom.worker.WorkerConfig.TOPIC_DLQ_CONFIG;
import static dev.fathom.worker.WorkerConfig.TOPIC_MAX_MESSAGE_BYTES_CONFIG;
import static dev.fathom.worker.WorkerConfig.TOPIC_META_CONFIG;
import static dev.fathom.worker.WorkerConfig.TOPIC_PARTITIONS_CONFIG;
import static dev.fathom.worker.WorkerConfig.TOPIC_REPLICATION_FACTOR_CONFIG;
import static dev.fathom.worker.WorkerConfig.TOPIC_SEGMENTS_CONFIG;
import static dev.fathom.worker.WorkerConfig.TOPIC_SEGMENTS_RETENTION_MS_CONFIG;
import static dev.fathom.worker.WorkerConfig.WORKER_ID_CONFIG;

import dev.fathom.schemas.TopicSettings;
import dev.fathom.schemas.Topics;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.NonEmptyString;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Defines the static keys of {@link WorkerConfig} (grouped so the config class stays readable) and renders a
 * {@link ConfigDef} as Markdown. Stateless; thread-safe.
 */
final class WorkerConfigKeys {

    private WorkerConfigKeys() {
    }

    static void defineKafka(ConfigDef def) {
        Topics topics = Topics.defaults();
        TopicSettings settings = TopicSettings.defaults();
        def.define(BOOTSTRAP_SERVERS_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonNullValidator(),
                        Importance.HIGH, "Kafka bootstrap servers, host:port[,host:port...].")
                .define(GROUP_ID_CONFIG, Type.STRING, GROUP_ID_DEFAULT, new NonEmptyString(), Importance.HIGH,
                        "Consumer group of the workers; all workers of one deployment share it. The meta service's"
                                + " Streams application id is '<group.id>-meta'.")
                .define(WORKER_ID_CONFIG, Type.STRING, "", Importance.HIGH,
                        "Identity of this worker instance, unique among live workers and stable across restarts;"
                                + " empty = the host name. The producer's transactional.id is"
                                + " 'fathom-worker-<worker.id>', so a restarted instance fences its zombie.")
                .define(TOPIC_SEGMENTS_CONFIG, Type.STRING, topics.segments(), Importance.MEDIUM,
                        "Topic of sealed-segment chunks (consumed).")
                .define(TOPIC_META_CONFIG, Type.STRING, topics.meta(), Importance.MEDIUM,
                        "Compacted topic of durable frame numbers per namespace.")
                .define(TOPIC_CATALOG_CONFIG, Type.STRING, topics.catalog(), Importance.MEDIUM,
                        "Compacted topic of durable segments.")
                .define(TOPIC_DLQ_CONFIG, Type.STRING, topics.deadLetters(), Importance.MEDIUM,
                        "Topic of refused segments (dead letters).")
                .define(TOPIC_PARTITIONS_CONFIG, Type.INT, settings.partitions(), Range.atLeast(1), Importance.LOW,
                        "Partitions of the segments, meta and catalog topics when the worker creates them"
                                + " (existing topics are checked, never changed).")
                .define(TOPIC_REPLICATION_FACTOR_CONFIG, Type.SHORT, settings.replicationFactor(), Range.atLeast(-1),
                        Importance.LOW, "Replication factor of created topics; -1 = min(3, live brokers).")
                .define(TOPIC_SEGMENTS_RETENTION_MS_CONFIG, Type.LONG, settings.segmentsRetentionMs(),
                        Range.atLeast(-1), Importance.LOW, "Retention of a created segments topic, in milliseconds.")
                .define(TOPIC_MAX_MESSAGE_BYTES_CONFIG, Type.INT, settings.maxMessageBytes(), Range.atLeast(1),
                        Importance.LOW, "max.message.bytes of a created segments topic.");
    }

    static void defineHttp(ConfigDef def) {
        String stateDir = Path.of(System.getProperty("java.io.tmpdir"), "fathom-worker").toString();
        def.define(HTTP_LISTEN_HOST_CONFIG, Type.STRING, "0.0.0.0", Importance.MEDIUM,
                        "Interface the meta HTTP API binds to.")
                .define(HTTP_PORT_CONFIG, Type.INT, 8080, Range.between(0, 65535), Importance.MEDIUM,
                        "Port of the meta HTTP API; 0 = any free port.")
                .define(HTTP_ADVERTISED_HOST_CONFIG, Type.STRING, "localhost", new NonEmptyString(),
                        Importance.MEDIUM, "Host name other workers use to reach this worker's HTTP API.")
                .define(STATE_DIR_CONFIG, Type.STRING, stateDir, new NonEmptyString(), Importance.MEDIUM,
                        "Directory of the worker's local state (Kafka Streams stores under <state.dir>/streams).");
    }

    static void defineJobs(ConfigDef def) {
        def.define(MAX_IN_FLIGHT_JOBS_CONFIG, Type.INT, MAX_IN_FLIGHT_JOBS_DEFAULT, Range.atLeast(1),
                        Importance.MEDIUM, "Most segments compacted and uploaded at once (one namespace's segments"
                                + " always run one after another).")
                .define(MAX_BACKLOG_BYTES_CONFIG, Type.LONG, MAX_BACKLOG_BYTES_DEFAULT, Range.atLeast(1),
                        Importance.MEDIUM, "Frame bytes of assembled segments not yet durable above which the worker"
                                + " pauses consuming until the backlog drains (e.g. while S3 is down).")
                .define(MAX_BACKLOG_SEGMENTS_CONFIG, Type.INT, MAX_BACKLOG_SEGMENTS_DEFAULT, Range.atLeast(1),
                        Importance.MEDIUM, "Number of assembled segments not yet durable above which the worker"
                                + " pauses consuming until the backlog drains.")
                .define(JOB_RETRY_BACKOFF_MS_CONFIG, Type.LONG, 200L, Range.atLeast(1), Importance.LOW,
                        "First delay before retrying a job that failed transiently (S3 unreachable), in"
                                + " milliseconds; doubles per attempt, with jitter. S3 request retries stay in the SDK.")
                .define(JOB_RETRY_BACKOFF_MAX_MS_CONFIG, Type.LONG, 30_000L, Range.atLeast(1), Importance.LOW,
                        "Longest delay between retries of a job, in milliseconds.")
                .define(META_LOAD_TIMEOUT_MS_CONFIG, Type.LONG, 120_000L, Range.atLeast(1), Importance.LOW,
                        "How long a newly assigned partition waits to read its durable frames from the meta topic"
                                + " (including open transactions of a crashed worker) before the worker fails.");
    }
}
