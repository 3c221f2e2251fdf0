package dev.fathom.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real local Kafka cluster of N combined (broker + controller) KRaft nodes started from the {@code kafka_2.13}
 * jar, either inside this JVM or as forked {@code kafka.Kafka} processes that can be SIGKILLed and restarted.
 * The data directory is formatted on first start and reused afterwards with the same cluster id and the same ports
 * ({@code cluster.id}, {@code ports.properties}), so {@code fathom dev} restarts on its data at the same address.
 * Thread-safe (lifecycle methods are synchronized); the creator closes it.
 *
 * <pre>{@code
 * try (LocalKafka kafka = LocalKafka.builder().nodes(1).dataDir(dir).build()) {
 *     kafka.start();
 *     String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class LocalKafka implements AutoCloseable {

    /** Where the nodes run. */
    public enum Mode {
        /** {@code KafkaRaftServer} instances inside this JVM: fastest start, no kill -9. */
        IN_PROCESS,
        /** One child JVM per node ({@code kafka.Kafka}), output in {@code dataDir/node<i>.log}; supports kill -9. */
        PROCESS
    }

    private static final Logger log = LoggerFactory.getLogger(LocalKafka.class);

    private final int nodeCount;
    private final Mode mode;
    private final Path dataDir;
    private final int firstPort;
    private final String classpath;
    private final Duration startTimeout;
    private final Map<Integer, KafkaNode> nodes = new TreeMap<>();
    private KafkaPorts ports;

    private LocalKafka(Builder b) {
        this.nodeCount = b.nodes;
        this.mode = b.mode;
        this.dataDir = b.dataDir.toAbsolutePath();
        this.firstPort = b.firstPort;
        this.classpath = b.classpath != null ? b.classpath : System.getProperty("java.class.path");
        this.startTimeout = b.startTimeout;
    }

    /** Returns a builder with defaults: 1 node, {@link Mode#IN_PROCESS}, free ports, 60 s start timeout. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats the data directory if it is new (reusing it when formatted), starts every node and waits until all of
     * them are registered.
     *
     * @throws IllegalStateException when a node fails or the cluster is not ready within the start timeout
     */
    public synchronized void start() {
        if (!nodes.isEmpty()) {
            throw new IllegalStateException("Kafka cluster in " + dataDir + " is already started");
        }
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the Kafka data directory " + dataDir, e);
        }
        ports = KafkaPorts.resolve(dataDir, nodeCount, firstPort);
        String clusterId = KafkaStorageFormatter.clusterId(dataDir, nodeCount);
        for (int i = 0; i < nodeCount; i++) {
            Properties props = KafkaServerProperties.write(dataDir, i, ports);
            KafkaStorageFormatter.formatIfNeeded(dataDir, i, clusterId);
            nodes.put(i, mode == Mode.IN_PROCESS ? new InProcessKafkaNode(i, props)
                    : new ForkedKafkaNode(i, dataDir, classpath));
        }
        try {
            // In parallel: an in-process node's startup blocks until a quorum of controllers has elected a leader.
            inParallel("starter", KafkaNode::start);
            ClusterReadinessProbe.await(nodes, ports, startTimeout, describe());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        log.info("Kafka cluster {} ({} node(s), {}) ready at {} after {} ms", clusterId, nodeCount, mode,
                bootstrapServers(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** The bootstrap.servers string of all nodes (stable across restarts on the same data directory). */
    public synchronized String bootstrapServers() {
        if (ports == null) {
            throw new IllegalStateException("Kafka cluster in " + dataDir + " has not been started");
        }
        return ports.bootstrapServers();
    }

    /** The PLAINTEXT address ({@code localhost:port}) of node {@code index}. */
    public synchronized String brokerAddress(int index) {
        checkIndex(index);
        return ports.brokerAddress(index);
    }

    public int nodeCount() {
        return nodeCount;
    }

    public Mode mode() {
        return mode;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * SIGKILLs node {@code index} (its node id equals its index). Needs {@link Mode#PROCESS}: a thread of this JVM
     * cannot be killed hard, and a graceful stop would not test the same thing.
     */
    public synchronized void killNode(int index) {
        checkIndex(index);
        if (mode != Mode.PROCESS) {
            throw new IllegalStateException("killNode(" + index + ") needs Mode.PROCESS; this cluster runs " + mode);
        }
        nodes.get(index).kill();
        log.info("Killed Kafka node {} of the cluster in {}", index, dataDir);
    }

    /** Starts node {@code index} again (no-op when it runs) and waits until every running node sees it registered. */
    public synchronized void startNode(int index) {
        checkIndex(index);
        KafkaNode node = nodes.get(index);
        if (node.isRunning()) {
            return;
        }
        long t0 = System.nanoTime();
        node.start();
        ClusterReadinessProbe.await(nodes, ports, startTimeout, describe());
        log.info("Restarted Kafka node {} of the cluster in {} in {} ms", index, dataDir,
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** Stops every node: SIGKILL for processes (a graceful stop stalls without quorum), shutdown for in-process ones. */
    @Override
    public synchronized void close() {
        // In parallel: stopping in-process nodes one by one stalls each on the quorum the previous one took away.
        try {
            inParallel("stopper", KafkaNode::kill);
        } finally {
            nodes.clear();
        }
    }

    /** Runs {@code action} on every node in its own thread; rethrows the first failure once all have finished. */
    private void inParallel(String role, Consumer<KafkaNode> action) {
        List<Thread> threads = new ArrayList<>();
        List<RuntimeException> failures = Collections.synchronizedList(new ArrayList<>());
        for (Map.Entry<Integer, KafkaNode> e : nodes.entrySet()) {
            Thread t = new Thread(() -> {
                try {
                    action.accept(e.getValue());
                } catch (RuntimeException ex) {
                    failures.add(ex);
                }
            }, "kafka-node-" + e.getKey() + "-" + role);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Kafka nodes in " + dataDir, e);
            }
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    private void checkIndex(int index) {
        if (nodes.isEmpty()) {
            throw new IllegalStateException("Kafka cluster in " + dataDir + " has not been started");
        }
        if (index < 0 || index >= nodeCount) {
            throw new IllegalArgumentException("No Kafka node " + index + " in a cluster of " + nodeCount + " node(s)");
        }
    }

    private String describe() {
        return dataDir + " (" + mode + (mode == Mode.PROCESS ? ", logs in " + dataDir + "/node<i>.log" : "") + ")";
    }

    /** Collects the settings of a {@link LocalKafka}. Not thread-safe. */
    public static final class Builder {
        private int nodes = 1;
        private Mode mode = Mode.IN_PROCESS;
        private Path dataDir;
        private int firstPort;
        private String classpath;
        private Duration startTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** Number of combined nodes (1..9); node ids are 0..n-1. */
        public Builder nodes(int n) {
            if (n < 1 || n > 9) {
                throw new IllegalArgumentException("A local Kafka cluster has 1 to 9 nodes, not " + n);
            }
            this.nodes = n;
            return this;
        }

        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /** Where node data, properties, logs, {@code cluster.id} and {@code ports.properties} live. Required. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /**
         * Fixed ports: node i gets PLAINTEXT {@code firstPort + 2i} and CONTROLLER {@code firstPort + 2i + 1}.
         * 0 (default) reuses the ports persisted in the data directory, or picks free ones.
         */
        public Builder ports(int firstPort) {
            if (firstPort < 0 || firstPort > 65535 - 2 * 9) {
                throw new IllegalArgumentException("First Kafka port out of range: " + firstPort);
            }
            this.firstPort = firstPort;
            return this;
        }

        /** Classpath of forked nodes ({@link Mode#PROCESS}); default: this JVM's {@code java.class.path}. */
        public Builder classpath(String classpath) {
            this.classpath = classpath;
            return this;
        }

        /** How long {@code start()} and {@code startNode()} wait for readiness; default 60 s. */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        public LocalKafka build() {
            if (dataDir == null) {
                throw new IllegalStateException("LocalKafka needs a dataDir");
            }
            return new LocalKafka(this);
        }
    }
}
