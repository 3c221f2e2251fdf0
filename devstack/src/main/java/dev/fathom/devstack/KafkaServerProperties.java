package dev.fathom.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Builds the server.properties of one combined (broker + controller) KRaft node of a {@link LocalKafka} cluster.
 * The same properties drive in-process and forked nodes, so both modes behave alike. Stateless; thread-safe.
 */
final class KafkaServerProperties {

    private KafkaServerProperties() {
    }

    /** Log directory of node {@code index}: {@code dataDir/node<index>}. */
    static Path logDir(Path dataDir, int index) {
        return dataDir.resolve("node" + index);
    }

    /** Properties file of node {@code index}: {@code dataDir/node<index>.properties}. */
    static Path file(Path dataDir, int index) {
        return dataDir.resolve("node" + index + ".properties");
    }

    /** Builds the properties of node {@code index} (node.id = index) and writes them to {@link #file}. */
    static Properties write(Path dataDir, int index, KafkaPorts ports) {
        Properties p = build(dataDir, index, ports);
        Path file = file(dataDir, index);
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, "Kafka node " + index + " of a local Fathom cluster (generated on every start)");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write Kafka node properties " + file, e);
        }
        return p;
    }

    static Properties build(Path dataDir, int index, KafkaPorts ports) {
        String rf = Integer.toString(Math.min(ports.size(), 3));
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(index));
        // Static voters for every cluster size: no --standalone, so ports may even change between restarts.
        p.setProperty("controller.quorum.voters", ports.voters());
        p.setProperty("listeners", "PLAINTEXT://localhost:" + ports.broker().get(index)
                + ",CONTROLLER://localhost:" + ports.controller().get(index));
        p.setProperty("advertised.listeners", "PLAINTEXT://localhost:" + ports.broker().get(index));
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.setProperty("log.dirs", logDir(dataDir, index).toAbsolutePath().toString());
        p.setProperty("offsets.topic.replication.factor", rf);
        // Fewer internal partitions than the default 50: creating them is most of a cold group join.
        p.setProperty("offsets.topic.num.partitions", "10");
        p.setProperty("transaction.state.log.num.partitions", "10");
        p.setProperty("transaction.state.log.replication.factor", rf);
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", rf);
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("default.replication.factor", rf);
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // Room for 4 MiB Avro records plus batch overhead.
        p.setProperty("message.max.bytes", "16777216");
        p.setProperty("replica.fetch.max.bytes", "16777216");
        p.setProperty("auto.create.topics.enable", "false");
        // Defaults are 2000/9000 ms; short values make a kill -9 restart take ~5 s instead of ~12 s.
        p.setProperty("broker.heartbeat.interval.ms", "500");
        p.setProperty("broker.session.timeout.ms", "2500");
        return p;
    }
}
