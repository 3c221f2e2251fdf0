package dev.fathom.testkit;

import dev.fathom.schemas.Topics;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Configurations of a worker and of a node library pointed at the test broker and S3 server, so every module's ITs
 * start them the same way (short sessions, fast job retries, loopback HTTP). Stateless and thread-safe; each call
 * returns a new mutable map the caller may extend.
 */
public final class TestConfigs {

    private TestConfigs() {
    }

    /** Returns a worker configuration with the default storage profile on {@code bucket} of {@code s3}. */
    public static Map<String, Object> worker(KafkaBroker kafka, S3Server s3, Topics topics, int partitions,
                                             String group, String workerId, String bucket, Path stateDir) {
        Map<String, Object> props = worker(kafka.bootstrapServers(), s3, s3.endpoint().toString(), group, workerId,
                bucket, stateDir);
        putTopics(props, topics, partitions);
        return props;
    }

    /**
     * Returns a worker configuration on the default topics for a broker at {@code bootstrapServers} and the S3 server
     * {@code s3} reached at {@code s3Endpoint} (a fixed address when the server is stopped and restarted).
     */
    public static Map<String, Object> worker(String bootstrapServers, S3Server s3, String s3Endpoint, String group,
                                             String workerId, String bucket, Path stateDir) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", group);
        props.put("worker.id", workerId);
        props.put("http.port", "0");
        props.put("http.listen.host", "127.0.0.1");
        // "localhost" may resolve to ::1 while the API listens on 127.0.0.1: forwarding would then miss.
        props.put("http.advertised.host", "127.0.0.1");
        props.put("state.dir", stateDir.resolve(workerId).toString());
        props.put("storage.profile.default.bucket", bucket);
        props.put("storage.profile.default.endpoint", s3Endpoint);
        props.put("storage.profile.default.region", s3.region());
        props.put("storage.profile.default.path.style", "true");
        props.put("storage.profile.default.access.key", s3.accessKey());
        props.put("storage.profile.default.secret.key", s3.secretKey());
        props.put("job.retry.backoff.ms", "50");
        props.put("job.retry.backoff.max.ms", "1000");
        // Short sessions so a killed worker's partitions move on within seconds (broker minimum: 6 s).
        props.put("kafka.consumer.session.timeout.ms", "6000");
        props.put("kafka.consumer.heartbeat.interval.ms", "500");
        props.put("kafka.producer.transaction.timeout.ms", "20000");
        props.put("kafka.streams.session.timeout.ms", "6000");
        props.put("kafka.streams.heartbeat.interval.ms", "500");
        return props;
    }

    /** Returns a FathomStorage (node library) configuration of node {@code nodeId} over {@code topics}. */
    public static Map<String, Object> node(KafkaBroker kafka, Topics topics, int partitions, String nodeId) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("node.id", nodeId);
        putTopics(props, topics, partitions);
        return props;
    }

    /** The topic keys are spelled the same in the worker's and the node library's config. */
    private static void putTopics(Map<String, Object> props, Topics topics, int partitions) {
        props.put("topic.segments", topics.segments());
        props.put("topic.meta", topics.meta());
        props.put("topic.catalog", topics.catalog());
        props.put("topic.dlq", topics.deadLetters());
        props.put("topic.partitions", Integer.toString(partitions));
    }
}
