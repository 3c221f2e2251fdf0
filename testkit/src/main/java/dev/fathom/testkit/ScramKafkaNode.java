package dev.fathom.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A single combined KRaft node in this JVM with client listeners {@code PLAINTEXT} for the test's own tools (topic
 * setup, reading topics back), {@code SASL_PLAINTEXT} with SCRAM-SHA-512 for the code under test and, when given
 * {@link TestCertificates}, {@code SASL_SSL} (SCRAM over TLS). The SCRAM user is created at format time
 * ({@code kafka-storage format --add-scram}), so it exists before the broker accepts a connection. No authorizer:
 * SCRAM decides who may connect, not what they may do. Not thread-safe; owned by {@link KafkaBroker}.
 */
final class ScramKafkaNode implements AutoCloseable {

    static final String MECHANISM = "SCRAM-SHA-512";

    private final KafkaRaftServer server;
    private final int plaintextPort;
    private final int saslPort;
    private final int saslSslPort;

    private ScramKafkaNode(KafkaRaftServer server, int plaintextPort, int saslPort, int saslSslPort) {
        this.server = server;
        this.plaintextPort = plaintextPort;
        this.saslPort = saslPort;
        this.saslSslPort = saslSslPort;
    }

    /**
     * Formats {@code dataDir} with SCRAM user {@code user} and starts the node; with {@code tls} (may be null) it also
     * listens for SASL_SSL with that key store.
     */
    static ScramKafkaNode start(Path dataDir, String user, String password, TestCertificates tls) {
        int plaintext = freePort();
        int sasl = freePort();
        int saslSsl = tls == null ? 0 : freePort();
        int controller = freePort();
        Properties p = properties(dataDir, plaintext, sasl, controller);
        if (tls != null) {
            addSaslSsl(p, saslSsl, tls);
        }
        Path file = dataDir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, "SCRAM test broker");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
        format(file, user, password);
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            server.shutdown();
            server.awaitShutdown();
            throw new IllegalStateException("SCRAM test broker in " + dataDir + " failed to start", e);
        }
        return new ScramKafkaNode(server, plaintext, sasl, saslSsl);
    }

    String plaintextBootstrap() {
        return "localhost:" + plaintextPort;
    }

    String saslBootstrap() {
        return "localhost:" + saslPort;
    }

    /** The SASL_SSL address, or null when the node has no TLS listener. */
    String saslSslBootstrap() {
        return saslSslPort == 0 ? null : "localhost:" + saslSslPort;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    private static Properties properties(Path dataDir, int plaintext, int sasl, int controller) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@localhost:" + controller);
        p.setProperty("listeners", "PLAINTEXT://localhost:" + plaintext + ",SASL_PLAINTEXT://localhost:" + sasl
                + ",CONTROLLER://localhost:" + controller);
        p.setProperty("advertised.listeners", "PLAINTEXT://localhost:" + plaintext + ",SASL_PLAINTEXT://localhost:"
                + sasl);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map",
                "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT");
        p.setProperty("sasl.enabled.mechanisms", MECHANISM);
        // The server side of SCRAM needs a login module entry for the listener, without credentials of its own.
        p.setProperty("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.setProperty("log.dirs", dataDir.resolve("log").toAbsolutePath().toString());
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "10");
        p.setProperty("transaction.state.log.num.partitions", "10");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("default.replication.factor", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("message.max.bytes", "16777216");
        p.setProperty("auto.create.topics.enable", "false");
        return p;
    }

    private static void addSaslSsl(Properties p, int port, TestCertificates tls) {
        p.setProperty("listeners", p.getProperty("listeners") + ",SASL_SSL://localhost:" + port);
        p.setProperty("advertised.listeners", p.getProperty("advertised.listeners") + ",SASL_SSL://localhost:" + port);
        p.setProperty("listener.security.protocol.map", p.getProperty("listener.security.protocol.map")
                + ",SASL_SSL:SASL_SSL");
        p.setProperty("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.setProperty("listener.name.sasl_ssl.ssl.keystore.location", tls.keyStore().toString());
        p.setProperty("listener.name.sasl_ssl.ssl.keystore.type", TestCertificates.STORE_TYPE);
        p.setProperty("listener.name.sasl_ssl.ssl.keystore.password", tls.password());
        p.setProperty("listener.name.sasl_ssl.ssl.key.password", tls.password());
    }

    private static void format(Path file, String user, String password) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] args = {"format", "-t", Uuid.randomUuid().toString(), "-c", file.toString(), "--add-scram",
            MECHANISM + "=[name=" + user + ",password=" + password + "]"};
        int rc;
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            rc = kafka.tools.StorageTool.execute(args, ps);
        }
        if (rc != 0) {
            throw new IllegalStateException("Formatting the SCRAM test broker (" + file + ") failed with exit code "
                    + rc + ": " + out.toString(StandardCharsets.UTF_8).trim());
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free local port", e);
        }
    }
}
