package dev.fathom.devstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Formats the log directories of a {@link LocalKafka} cluster with Kafka's own {@code kafka-storage format} code,
 * once: a directory holding {@code meta.properties} is reused as is. The cluster id lives in
 * {@code dataDir/cluster.id} so every node (and every restart) uses the same one. Not thread-safe; called by
 * {@link LocalKafka} under its lock.
 */
final class KafkaStorageFormatter {

    private static final Logger log = LoggerFactory.getLogger(KafkaStorageFormatter.class);
    static final String CLUSTER_ID_FILE = "cluster.id";

    private KafkaStorageFormatter() {
    }

    /** Returns the cluster id of {@code dataDir}, creating and persisting one when the directory is new. */
    static String clusterId(Path dataDir, int nodes) {
        Path file = dataDir.resolve(CLUSTER_ID_FILE);
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            String id = existingClusterId(dataDir, nodes);
            if (id == null) {
                id = Uuid.randomUuid().toString();
            }
            Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or write the Kafka cluster id file " + file, e);
        }
    }

    /** Formats node {@code index} unless its log directory is already formatted. */
    static void formatIfNeeded(Path dataDir, int index, String clusterId) {
        Path logDir = KafkaServerProperties.logDir(dataDir, index);
        if (Files.exists(logDir.resolve("meta.properties"))) {
            log.debug("Kafka node {} in {} is already formatted; reusing it", index, logDir);
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] args = {"format", "-t", clusterId, "-c", KafkaServerProperties.file(dataDir, index).toString(),
            "--ignore-formatted"};
        int rc;
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            rc = kafka.tools.StorageTool.execute(args, ps);
        }
        if (rc != 0) {
            throw new IllegalStateException("Formatting Kafka node " + index + " in " + logDir + " (cluster " + clusterId
                    + ") failed with exit code " + rc + ": " + out.toString(StandardCharsets.UTF_8).trim());
        }
        log.info("Formatted Kafka node {} in {} for cluster {}", index, logDir, clusterId);
    }

    /** Recovers the id from a node's meta.properties when cluster.id was lost but a node was formatted. */
    private static String existingClusterId(Path dataDir, int nodes) throws IOException {
        for (int i = 0; i < nodes; i++) {
            Path meta = KafkaServerProperties.logDir(dataDir, i).resolve("meta.properties");
            if (Files.exists(meta)) {
                Properties p = new Properties();
                try (Reader r = Files.newBufferedReader(meta)) {
                    p.load(r);
                }
                return p.getProperty("cluster.id");
            }
        }
        return null;
    }
}
