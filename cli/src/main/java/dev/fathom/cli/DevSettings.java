package dev.fathom.cli;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * What {@code fathom dev} was asked for. Immutable; validated on construction.
 *
 * @param dataDir    where Kafka ({@code kafka/}), S3 ({@code s3/}) and the worker ({@code worker/}) keep their data
 * @param kafkaPort  Kafka PLAINTEXT port (the controller takes the next one) on a new data dir; 0 = any free port.
 *                   On a data dir that already ran, the port persisted there wins so clients keep their address.
 * @param s3Port     S3 endpoint port; 0 = any free port
 * @param httpPort   port of the worker's HTTP query API; 0 = any free port
 * @param bucket     bucket of the storage profile "default", created when missing
 * @param partitions partitions of the segments, meta and catalog topics when they are created
 */
public record DevSettings(Path dataDir, int kafkaPort, int s3Port, int httpPort, String bucket, int partitions) {

    /** S3's bucket naming rule (lower case, digits, dots, hyphens; 3-63 characters; starts and ends alphanumeric). */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    /** Highest first port: the Kafka controller listens on {@code kafkaPort + 1}. */
    private static final int MAX_KAFKA_PORT = 65534;

    /** @throws IllegalArgumentException naming the option and the rule when a value is out of range */
    public DevSettings {
        if (dataDir == null) {
            throw new IllegalArgumentException("--data-dir is required");
        }
        checkPort("--kafka-port", kafkaPort, MAX_KAFKA_PORT);
        checkPort("--s3-port", s3Port, 65535);
        checkPort("--http-port", httpPort, 65535);
        if (bucket == null || !BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("Invalid --bucket '" + bucket + "': a bucket name has 3 to 63"
                    + " characters of [a-z0-9.-] and starts and ends with a letter or digit");
        }
        if (partitions < 1 || partitions > 1000) {
            throw new IllegalArgumentException("Invalid --partitions " + partitions + ": must be between 1 and 1000");
        }
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    private static void checkPort(String option, int port, int max) {
        if (port < 0 || port > max) {
            throw new IllegalArgumentException("Invalid " + option + " " + port + ": must be between 0 (any free port)"
                    + " and " + max);
        }
    }
}
