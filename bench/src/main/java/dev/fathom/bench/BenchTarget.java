package dev.fathom.bench;

import dev.fathom.cli.DevEndpoints;
import dev.fathom.producer.FathomStorageConfig;
import dev.fathom.producer.storage.StorageProfile;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What a bench run measures against: the in-JVM DevStack, or given endpoints (a Kafka cluster and a bucket that
 * workers elsewhere serve), described by the node library's own configuration. Against given endpoints every name the
 * run creates (namespaces, the raw Kafka topic, the raw S3 objects) carries a run id, so a second run never finds
 * the first one's segments already durable, and the CPU figures are left out: they would count only this client.
 * Immutable.
 *
 * @param storageConfig   FathomStorageConfig properties for the node library and the reader
 * @param profile         the storage profile every phase stores with and the raw S3 baseline uses
 * @param namespacePrefix put before every namespace the run creates ("" for the DevStack)
 * @param colocated       whether broker, S3 server and worker run in this JVM (CPU and heap figures are measured)
 */
record BenchTarget(Map<String, Object> storageConfig, StorageProfile profile, String namespacePrefix,
                   boolean colocated) {

    private static final String NODE_ID = "bench-node";

    /** The DevStack at {@code e}. */
    static BenchTarget devStack(DevEndpoints e) {
        Map<String, Object> p = new HashMap<>();
        p.put(FathomStorageConfig.BOOTSTRAP_SERVERS_CONFIG, e.bootstrapServers());
        p.put(FathomStorageConfig.NODE_ID_CONFIG, NODE_ID);
        p.put(StorageProfile.PROFILES_CONFIG, StorageProfile.DEFAULT_NAME);
        p.put(StorageProfile.key(StorageProfile.DEFAULT_NAME, "bucket"), e.bucket());
        p.put(StorageProfile.key(StorageProfile.DEFAULT_NAME, "endpoint"), e.s3Endpoint().toString());
        p.put(StorageProfile.key(StorageProfile.DEFAULT_NAME, "region"), "us-east-1");
        p.put(StorageProfile.key(StorageProfile.DEFAULT_NAME, "path.style"), "true");
        p.put(StorageProfile.key(StorageProfile.DEFAULT_NAME, "access.key"), e.accessKey());
        p.put(StorageProfile.key(StorageProfile.DEFAULT_NAME, "secret.key"), e.secretKey());
        return new BenchTarget(p, new FathomStorageConfig(p).storageProfiles().get(0), "", true);
    }

    /**
     * The endpoints {@code configFile} names, in the node library's properties (bootstrap.servers, storage.profiles,
     * storage.profile.NAME.*, kafka.* security; node.id defaults to bench-node); the first profile is used.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or its configuration is invalid
     */
    static BenchTarget external(Path configFile) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(configFile)) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read --config " + configFile + ": " + e.getMessage(), e);
        }
        Map<String, Object> p = new HashMap<>();
        properties.forEach((k, v) -> p.put((String) k, v));
        p.putIfAbsent(FathomStorageConfig.NODE_ID_CONFIG, NODE_ID);
        List<StorageProfile> profiles;
        try {
            profiles = new FathomStorageConfig(p).storageProfiles();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Invalid --config " + configFile + ": " + e.getMessage(), e);
        }
        String runId = "bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-";
        return new BenchTarget(p, profiles.get(0), runId, false);
    }

    /** The namespace named {@code name} in this run. */
    String namespace(String name) {
        return namespacePrefix + name;
    }

    /** The raw Kafka baseline's topic (created by the run; deleted at its end against given endpoints). */
    String rawTopic() {
        return colocated ? "bench.raw" : namespacePrefix + "raw";
    }

    /** Where the raw S3 baseline writes its objects (deleted at the run's end against given endpoints). */
    String rawPrefix() {
        return colocated ? "bench-raw/" : keyPrefix() + namespacePrefix + "raw/";
    }

    /** Whether {@code key} is an object of this run's measured ingest phases (not the raw baseline's or warm-up's). */
    boolean isMeasuredObject(String key, String warmupPrefix) {
        String run = keyPrefix() + namespacePrefix;
        return key.startsWith(run) && !key.startsWith(rawPrefix()) && !key.startsWith(run + warmupPrefix + "-");
    }

    /** The profile's prefix as object keys start with it (ObjectKeys puts a '/' after a non-empty prefix). */
    private String keyPrefix() {
        return profile.prefix().isEmpty() ? "" : profile.prefix() + "/";
    }
}
