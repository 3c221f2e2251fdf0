package dev.fathom.cli;

import dev.fathom.devstack.LocalKafka;
import dev.fathom.devstack.LocalS3;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processes of a {@code fathom stack} and the order they start and stop in: N KRaft nodes as child JVMs (devstack
 * {@link LocalKafka} in PROCESS mode), S3Proxy in this JVM with the bucket, N {@code fathom worker} child JVMs, and
 * with the demo the {@link StackDemoLoad} thread and a {@code fathom agent} child JVM. Stops in reverse: load, agent
 * (SIGTERM: it seals what it read and waits until that is durable), workers (SIGTERM: they leave their groups), S3,
 * Kafka (SIGKILL, as {@link LocalKafka} always does: a graceful stop stalls once the quorum is gone). Thread-safe;
 * the creator closes it.
 */
final class StackServices implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StackServices.class);
    private static final Duration KAFKA_START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration WORKERS_READY_TIMEOUT = Duration.ofSeconds(180);
    /** More than the agent's shutdown.timeout.ms (StackConfigs), so it can finish on its own. */
    private static final Duration AGENT_STOP_GRACE = Duration.ofSeconds(30);
    private static final Duration WORKER_STOP_GRACE = Duration.ofSeconds(30);
    private static final int WORKER_HEAP_MB = 384;
    private static final int AGENT_HEAP_MB = 256;
    private static final long READY_POLL_MS = 200;

    private final StackSettings settings;
    private final StackLayout layout;
    private final List<StackWorker> workers = new ArrayList<>();
    private DataDirLock lock;
    private LocalKafka kafka;
    private LocalS3 s3;
    private StackDemoLoad load;
    private StackProcess agent;
    private int agentHttpPort;
    private boolean closed;

    /** A worker child and the base URL of its HTTP API. */
    record StackWorker(StackProcess process, URI httpApi, Path config) {
    }

    private StackServices(StackSettings settings) {
        this.settings = settings;
        this.layout = new StackLayout(settings.dataDir());
    }

    /**
     * Starts every service and returns once each worker answers {@code /ready}; on failure stops what started and
     * rethrows.
     *
     * @throws IllegalStateException naming the service (and its log) that did not start
     */
    static StackServices start(StackSettings settings, StartupProgress progress) {
        StackServices stack = new StackServices(settings);
        try {
            stack.startAll(progress);
            return stack;
        } catch (RuntimeException e) {
            try {
                stack.close();
            } catch (RuntimeException stopFailure) {
                e.addSuppressed(stopFailure);
            }
            throw e;
        }
    }

    private synchronized void startAll(StartupProgress progress) {
        lock = lockDataDir(settings.dataDir());
        boolean kafkaRanBefore = Files.exists(layout.kafkaDir().resolve("ports.properties"));
        List<Integer> httpPorts = StackPorts.workerHttpPorts(settings);
        if (!kafkaRanBefore) {
            for (int i = 0; i < settings.kafkaNodes() && settings.kafkaPort() != 0; i++) {
                StackPorts.requireFree(settings.kafkaPort() + 2 * i, "--kafka-port", "Kafka node " + i);
                StackPorts.requireFree(settings.kafkaPort() + 2 * i + 1, "--kafka-port", "the controller of Kafka node " + i);
            }
        }
        StackPorts.requireFree(settings.s3Port(), "--s3-port", "the S3 endpoint");
        kafka = progress.step(settings.kafkaNodes() + " Kafka node(s)", () -> startKafka(kafkaRanBefore));
        s3 = progress.step("S3 endpoint", this::startS3);
        String what = settings.workers() + " worker(s)" + (settings.demo() ? ", the demo load and agent" : "");
        progress.step(what, () -> {
            for (int i = 1; i <= settings.workers(); i++) {
                workers.add(startWorker(i, httpPorts.get(i - 1)));
            }
            if (settings.demo()) {
                // Before the workers are ready: the agent's segments wait in Kafka, and both sides create the same
                // topics (TopicProvisioner settles that race), so the demo is durable sooner after the banner.
                startDemo();
            }
            awaitWorkersReady();
            return workers.size();
        });
    }

    private void startDemo() {
        load = StackDemoLoad.start(layout.demoDatabase());
        agentHttpPort = StackPorts.freePort("the demo agent's /metrics");
        Path config = StackConfigs.write(StackConfigs.agent(settings, layout, kafka.bootstrapServers(),
                agentHttpPort), layout.agentConfig(), "demo agent");
        agent = StackProcess.start("agent", AGENT_HEAP_MB, List.of("agent", "--config", config.toString()),
                layout.agentLog());
    }

    /** Where everything answers; call after {@link #start}. */
    synchronized StackEndpoints endpoints() {
        List<StackEndpoints.Member> members = workers.stream().map(w -> new StackEndpoints.Member(
                w.process().name(), w.process().pid(), w.httpApi(), w.config(), w.process().logFile())).toList();
        StackEndpoints.Member agentMember = agent == null ? null : new StackEndpoints.Member("agent", agent.pid(),
                URI.create("http://127.0.0.1:" + agentHttpPort), layout.agentConfig(), agent.logFile());
        List<Path> kafkaLogs = IntStream.range(0, settings.kafkaNodes()).mapToObj(layout::kafkaLog).toList();
        return new StackEndpoints(settings.dataDir(), kafka.bootstrapServers(), kafkaLogs, s3.endpoint(),
                settings.bucket(), s3.accessKey(), s3.secretKey(), members, agentMember,
                settings.demo() ? layout.demoDatabase() : null);
    }

    synchronized List<StackWorker> workers() {
        return List.copyOf(workers);
    }

    /** The demo agent, or null without the demo. */
    synchronized StackProcess agent() {
        return agent;
    }

    /** The demo load, or null without the demo. */
    synchronized StackDemoLoad load() {
        return load;
    }

    /** Stops everything in reverse start order and releases the data dir; idempotent. The data stays. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        failure = attempt(failure, "the demo load", () -> closeIfStarted(load));
        failure = attempt(failure, "the demo agent", () -> {
            if (agent != null) {
                agent.stop(AGENT_STOP_GRACE);
            }
        });
        failure = attempt(failure, "the workers", () -> CompletableFuture.allOf(workers.stream()
                .map(w -> CompletableFuture.runAsync(() -> w.process().stop(WORKER_STOP_GRACE)))
                .toArray(CompletableFuture[]::new)).join());
        failure = attempt(failure, "the S3 endpoint", () -> closeIfStarted(s3));
        failure = attempt(failure, "the Kafka nodes", () -> closeIfStarted(kafka));
        failure = attempt(failure, "the data dir lock", () -> closeIfStarted(lock));
        if (failure != null) {
            throw failure;
        }
    }

    private LocalKafka startKafka(boolean ranBefore) {
        LocalKafka k = LocalKafka.builder().nodes(settings.kafkaNodes()).mode(LocalKafka.Mode.PROCESS)
                .dataDir(layout.kafkaDir())
                // 0 makes LocalKafka reuse the ports persisted in its dir, so clients keep their addresses.
                .ports(ranBefore ? 0 : settings.kafkaPort())
                .classpath(StackProcess.classpath())
                .startTimeout(KAFKA_START_TIMEOUT)
                .build();
        k.start();
        return k;
    }

    private LocalS3 startS3() {
        LocalS3 started = LocalS3.start(layout.s3Dir(), settings.s3Port(), DevStack.ACCESS_KEY, DevStack.SECRET_KEY);
        try {
            started.createBucketIfMissing(settings.bucket());
            return started;
        } catch (RuntimeException e) {
            started.close();
            throw new IllegalStateException("Could not create bucket " + settings.bucket() + " at "
                    + started.endpoint(), e);
        }
    }

    private StackWorker startWorker(int index, int httpPort) {
        String name = StackLayout.workerName(index);
        Path config = StackConfigs.write(StackConfigs.worker(settings, layout, index, kafka.bootstrapServers(), s3,
                httpPort), layout.workerConfig(index), name);
        StackProcess process = StackProcess.start(name, WORKER_HEAP_MB,
                List.of("worker", "--config", config.toString()), layout.workerLog(index));
        return new StackWorker(process, URI.create("http://127.0.0.1:" + httpPort), config);
    }

    /** Ready = in its consumer group, Kafka Streams RUNNING and the bucket reachable (the worker's /ready). */
    private void awaitWorkersReady() {
        StackProbe probe = new StackProbe();
        long deadline = System.nanoTime() + WORKERS_READY_TIMEOUT.toNanos();
        List<StackWorker> pending = new ArrayList<>(workers);
        try {
            while (!pending.isEmpty()) {
                for (StackWorker w : List.copyOf(pending)) {
                    if (!w.process().isAlive()) {
                        throw new IllegalStateException(w.process().name() + " exited with code "
                                + w.process().exitCode().orElse(-1) + " while starting; see " + w.process().logFile());
                    }
                    if (probe.ready(w.httpApi())) {
                        pending.remove(w);
                    }
                }
                if (!pending.isEmpty() && System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("Worker(s) " + pending.stream().map(w -> w.process().name()
                            + " (log " + w.process().logFile() + ")").toList() + " not ready after "
                            + WORKERS_READY_TIMEOUT.toSeconds() + " s");
                }
                if (!pending.isEmpty()) {
                    Thread.sleep(READY_POLL_MS); // polling an HTTP endpoint of another process; nothing to wait on
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the workers to be ready", e);
        }
    }

    private static DataDirLock lockDataDir(Path dir) {
        try {
            return DataDirLock.acquire(dir);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("Data dir " + dir + " is used by another running 'fathom stack' or"
                    + " 'fathom dev'; stop it first or pass another --data-dir", e);
        }
    }

    private static void closeIfStarted(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Could not close " + c, e);
        }
    }

    /** Runs one stop step even after an earlier one failed; collects failures into the first. */
    private static RuntimeException attempt(RuntimeException failure, String what, Runnable step) {
        try {
            step.run();
            return failure;
        } catch (RuntimeException e) {
            log.warn("Stopping {} failed: {}", what, e.toString());
            RuntimeException wrapped = new IllegalStateException("Could not stop " + what, e);
            if (failure == null) {
                return wrapped;
            }
            failure.addSuppressed(wrapped);
            return failure;
        }
    }
}
