package dev.fathom.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * What {@code fathom stack} was asked for. Immutable; validated on construction.
 *
 * @param dataDir        where every service of the stack keeps its data and logs
 * @param kafkaNodes     number of combined (broker + controller) KRaft nodes, 1 to 9
 * @param workers        number of {@code fathom worker} processes, 1 to 9
 * @param demo           whether to run the demo database, its load and a {@code fathom agent}
 * @param kafkaPort      PLAINTEXT port of Kafka node 0 on a new data dir (node i: {@code kafkaPort + 2i}, its
 *                       controller {@code kafkaPort + 2i + 1}); 0 = free ports. A data dir that ran keeps its ports.
 * @param s3Port         S3 endpoint port; 0 = any free port
 * @param httpPort       HTTP API port of worker 1 (worker i: {@code httpPort + i - 1}); 0 = free ports
 * @param bucket         bucket of storage profile "default", created when missing
 * @param partitions     partitions of the Fathom topics when they are created
 * @param statusInterval time between two status lines
 */
public record StackSettings(Path dataDir, int kafkaNodes, int workers, boolean demo, int kafkaPort, int s3Port,
                            int httpPort, String bucket, int partitions, Duration statusInterval) {

    /** The namespace of the demo database ({@code demo.db}). */
    public static final String DEMO_NAMESPACE = "demo";

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final int MAX_MEMBERS = 9;

    /** @throws IllegalArgumentException naming the option and the rule when a value is out of range */
    public StackSettings {
        if (dataDir == null) {
            throw new IllegalArgumentException("--data-dir is required");
        }
        checkRange("--kafka-nodes", kafkaNodes, 1, MAX_MEMBERS);
        checkRange("--workers", workers, 1, MAX_MEMBERS);
        checkRange("--kafka-port", kafkaPort, 0, 65535 - 2 * kafkaNodes + 1);
        checkRange("--s3-port", s3Port, 0, 65535);
        checkRange("--http-port", httpPort, 0, 65535 - workers + 1);
        if (bucket == null || !BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("Invalid --bucket '" + bucket + "': a bucket name has 3 to 63"
                    + " characters of [a-z0-9.-] and starts and ends with a letter or digit");
        }
        checkRange("--partitions", partitions, 1, 1000);
        if (statusInterval == null || statusInterval.isNegative() || statusInterval.isZero()) {
            throw new IllegalArgumentException("Invalid --status-interval " + statusInterval + ": must be positive");
        }
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** The HTTP port of worker {@code index} (1-based), or 0 when free ports were asked for. */
    int workerHttpPort(int index) {
        return httpPort == 0 ? 0 : httpPort + index - 1;
    }

    private static void checkRange(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("Invalid " + option + " " + value + ": must be between " + min
                    + " and " + max);
        }
    }
}
