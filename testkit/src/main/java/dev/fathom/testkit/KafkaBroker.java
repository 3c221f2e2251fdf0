package dev.fathom.testkit;

import dev.fathom.devstack.LocalKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real single-node Kafka broker for a test class: {@code @RegisterExtension static final KafkaBroker KAFKA =
 * KafkaBroker.singleNode();}. {@link #singleNode()} uses Testcontainers (apache/kafka) when a Docker engine answers,
 * else a KRaft broker inside the test JVM; {@link #forkedProcess()} always forks the broker so a test can
 * {@link #kill()} (SIGKILL) and {@link #restart()} it; {@link #withScramUser} adds a SASL_PLAINTEXT (SCRAM-SHA-512)
 * listener (and {@link #withScramUserOverTls} a SASL_SSL one too) for the code under test while
 * {@link #bootstrapServers()} stays PLAINTEXT for the test's tools.
 * System property {@code kafka.fixture} overrides the choice:
 * {@code local} (in-process), {@code process} (forked) or {@code container}. Also usable by hand via
 * {@link #start()} / {@link #close()}. Thread-safe (lifecycle methods are synchronized).
 */
public final class KafkaBroker implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    /** Which broker implementation runs. */
    public enum Mode {
        /** Testcontainers {@code org.testcontainers.kafka.KafkaContainer}. */
        CONTAINER,
        /** {@link LocalKafka} in the test JVM. */
        IN_PROCESS,
        /** {@link LocalKafka} as a forked JVM (kill -9 capable). */
        PROCESS,
        /** One in-process node with PLAINTEXT and SASL_PLAINTEXT (SCRAM-SHA-512) listeners. */
        SCRAM
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final boolean forked;
    private final String scramUser;
    private final String scramPassword;
    private final boolean tls;
    private ScramKafkaNode scram;
    private TestCertificates certificates;
    private Mode mode;
    private LocalKafka local;
    private Path dataDir;
    private KafkaContainerBroker container;
    private String bootstrapServers;
    private Admin admin;

    private KafkaBroker(boolean forked, String scramUser, String scramPassword, boolean tls) {
        this.forked = forked;
        this.scramUser = scramUser;
        this.scramPassword = scramPassword;
        this.tls = tls;
    }

    /**
     * A broker in this JVM that also accepts SCRAM-SHA-512 user {@code user} with {@code password} on a
     * SASL_PLAINTEXT listener ({@link #saslBootstrapServers()}); {@link #bootstrapServers()}, {@link #admin()} and
     * {@link #readAll} use its PLAINTEXT listener.
     */
    public static KafkaBroker withScramUser(String user, String password) {
        return new KafkaBroker(false, user, password, false);
    }

    /**
     * {@link #withScramUser} plus a SASL_SSL listener ({@link #saslSslBootstrapServers()}) whose self-signed
     * {@code localhost} certificate is in {@link #certificates()}'s trust store.
     */
    public static KafkaBroker withScramUserOverTls(String user, String password) {
        return new KafkaBroker(false, user, password, true);
    }

    /** The SASL_SSL (SCRAM over TLS) address of a {@link #withScramUserOverTls} broker. */
    public synchronized String saslSslBootstrapServers() {
        certificates();
        return scram.saslSslBootstrap();
    }

    /** The key and trust stores of a {@link #withScramUserOverTls} broker. */
    public synchronized TestCertificates certificates() {
        bootstrapServers();
        if (certificates == null) {
            throw new IllegalStateException("This broker has no TLS listener; create it with withScramUserOverTls()");
        }
        return certificates;
    }

    /** The SASL_PLAINTEXT (SCRAM-SHA-512) address of a {@link #withScramUser} broker. */
    public synchronized String saslBootstrapServers() {
        bootstrapServers();
        if (scram == null) {
            throw new IllegalStateException("This broker has no SASL listener; create it with withScramUser()");
        }
        return scram.saslBootstrap();
    }

    /** A broker in Docker when available, else in this JVM. */
    public static KafkaBroker singleNode() {
        return new KafkaBroker(false, null, null, false);
    }

    /** A broker in a forked JVM, always: it supports {@link #kill()} and {@link #restart()}. */
    public static KafkaBroker forkedProcess() {
        return new KafkaBroker(true, null, null, false);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Starts the broker (no-op when running) and returns this. */
    public synchronized KafkaBroker start() {
        if (bootstrapServers != null) {
            return this;
        }
        long t0 = System.nanoTime();
        String why = chooseMode();
        try {
            launch();
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
        System.err.printf("[testkit] KafkaBroker: %s (%s); ready at %s in %d ms%n", mode, why, bootstrapServers,
                (System.nanoTime() - t0) / 1_000_000);
        return this;
    }

    private void launch() {
        if (mode == Mode.CONTAINER) {
            container = KafkaContainerBroker.start();
            bootstrapServers = container.bootstrapServers();
        } else if (mode == Mode.SCRAM) {
            dataDir = TempDirectory.create("fathom-kafka-scram-");
            certificates = tls ? TestCertificates.create(dataDir) : null;
            scram = ScramKafkaNode.start(dataDir, scramUser, scramPassword, certificates);
            bootstrapServers = scram.plaintextBootstrap();
        } else {
            dataDir = TempDirectory.create("fathom-kafka-");
            LocalKafka.Builder b = LocalKafka.builder().nodes(1).dataDir(dataDir);
            if (mode == Mode.PROCESS) {
                b.mode(LocalKafka.Mode.PROCESS).classpath(ForkedJvm.moduleClasspath());
            }
            local = b.build();
            local.start();
            bootstrapServers = local.bootstrapServers();
        }
    }

    private String chooseMode() {
        String forced = System.getProperty("kafka.fixture", "");
        if (scramUser != null) {
            mode = Mode.SCRAM;
            return "withScramUser() always runs an in-process node with a SCRAM listener";
        }
        if (forked) {
            mode = Mode.PROCESS;
            return "forkedProcess() always forks a local KRaft broker";
        }
        switch (forced) {
            case "local":
                mode = Mode.IN_PROCESS;
                return "forced by -Dkafka.fixture=local";
            case "process":
                mode = Mode.PROCESS;
                return "forced by -Dkafka.fixture=process";
            case "container":
                mode = Mode.CONTAINER;
                return "forced by -Dkafka.fixture=container";
            default:
                boolean docker = KafkaContainerBroker.dockerAvailable();
                mode = docker ? Mode.CONTAINER : Mode.IN_PROCESS;
                return docker ? "Docker is available" : "no Docker engine answered; local KRaft broker in this JVM";
        }
    }

    public synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            throw new IllegalStateException("KafkaBroker is not started (register it with @RegisterExtension as a "
                    + "static field, or call start())");
        }
        return bootstrapServers;
    }

    /** Which implementation runs; null before {@link #start()}. */
    public synchronized Mode mode() {
        return mode;
    }

    /** A shared Admin client for this broker; closed by {@link #close()}. */
    public synchronized Admin admin() {
        if (admin == null) {
            Properties p = new Properties();
            p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
            admin = Admin.create(p);
        }
        return admin;
    }

    /**
     * Creates a topic with replication factor 1 ({@code cleanup.policy=compact} when {@code compacted}) and waits
     * until every partition has a leader.
     */
    public void createTopic(String name, int partitions, boolean compacted) {
        Map<String, String> configs = compacted ? Map.of("cleanup.policy", "compact") : Map.of();
        NewTopic topic = new NewTopic(name, Optional.of(partitions), Optional.of((short) 1)).configs(configs);
        try {
            admin().createTopics(List.of(topic)).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while creating topic " + name, e);
        } catch (ExecutionException e) {
            throw new AssertionError("Could not create topic " + name + " at " + bootstrapServers(), e.getCause());
        }
        Await.until(TIMEOUT, () -> allPartitionsLed(name, partitions), "topic " + name + " to have " + partitions
                + " partition(s) with leaders");
    }

    private boolean allPartitionsLed(String name, int partitions) {
        try {
            TopicDescription d = admin().describeTopics(List.of(name)).allTopicNames().get().get(name);
            return d.partitions().size() == partitions && d.partitions().stream().allMatch(p -> p.leader() != null);
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while describing topic " + name, e);
        }
    }

    /** Every committed record of {@code topic}, from the beginning to the current end (read_committed). */
    public <K, V> List<ConsumerRecord<K, V>> readAll(String topic, Deserializer<K> keyDeserializer,
            Deserializer<V> valueDeserializer) {
        return TopicReader.readAll(bootstrapServers(), topic, keyDeserializer, valueDeserializer, TIMEOUT);
    }

    /** SIGKILLs the forked broker. Only for {@link #forkedProcess()} brokers. */
    public synchronized void kill() {
        requireProcess("kill()").killNode(0);
    }

    /** Starts the forked broker again on the same data and port (killing it first if it runs) and waits for it. */
    public synchronized void restart() {
        LocalKafka kafka = requireProcess("restart()");
        kafka.killNode(0);
        kafka.startNode(0);
    }

    private LocalKafka requireProcess(String what) {
        if (mode != Mode.PROCESS || local == null) {
            throw new IllegalStateException(what + " needs a forked broker (KafkaBroker.forkedProcess() or "
                    + "-Dkafka.fixture=process); this one is " + mode);
        }
        return local;
    }

    /** Stops the broker and deletes its data. */
    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
        if (local != null) {
            local.close();
            local = null;
            TempDirectory.deleteQuietly(dataDir);
        }
        if (container != null) {
            container.close();
            container = null;
        }
        if (scram != null) {
            scram.close();
            scram = null;
            certificates = null;
            TempDirectory.deleteQuietly(dataDir);
        }
        bootstrapServers = null;
    }
}
