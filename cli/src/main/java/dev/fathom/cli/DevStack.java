package dev.fathom.cli;

import dev.fathom.devstack.LocalKafka;
import dev.fathom.devstack.LocalS3;
import dev.fathom.producer.storage.StorageProfile;
import dev.fathom.worker.Worker;
import dev.fathom.worker.WorkerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Everything {@code fathom dev} runs in one JVM, under one data dir: a single-node KRaft broker ({@code kafka/}),
 * S3Proxy on the filesystem ({@code s3/}) with the bucket, and one worker with its HTTP query API ({@code worker/}).
 * A second start on the same dir reuses all of it: same Kafka address and cluster, same objects, same durable frames.
 * Thread-safe; the creator closes it (worker, then S3, then Kafka, so nothing is cut off mid-commit).
 */
public final class DevStack implements AutoCloseable {

    /** Access key id of the dev S3 endpoint. */
    public static final String ACCESS_KEY = "fathom";
    /** Secret key of the dev S3 endpoint: a fixed development secret, the endpoint only listens on loopback. */
    public static final String SECRET_KEY = "fathom-dev-secret";

    /** Kafka's ports file in its data dir (written by LocalKafka): its presence means the broker ran there before. */
    private static final String KAFKA_PORTS_FILE = "ports.properties";
    private static final Duration WORKER_READY_TIMEOUT = Duration.ofSeconds(120);
    private static final long READY_POLL_MS = 50;

    private final Deque<AutoCloseable> running;
    private final Worker worker;
    private final DevEndpoints endpoints;
    private boolean closed;

    private DevStack(Deque<AutoCloseable> running, Worker worker, DevEndpoints endpoints) {
        this.running = running;
        this.worker = worker;
        this.endpoints = endpoints;
    }

    /**
     * Starts the broker, the S3 endpoint and the worker, and returns once the worker's query API serves. On failure
     * stops what already started and rethrows.
     *
     * @throws IllegalStateException when the data dir is in use or a service does not start (the message names it)
     */
    public static DevStack start(DevSettings settings, StartupProgress progress) {
        Path dir = settings.dataDir();
        Deque<AutoCloseable> running = new ArrayDeque<>();
        running.push(DataDirLock.acquire(dir));
        try {
            Path kafkaDir = dir.resolve("kafka");
            boolean kafkaRanBefore = Files.exists(kafkaDir.resolve(KAFKA_PORTS_FILE));
            requireFreePorts(settings, kafkaRanBefore);
            LocalKafka kafka = progress.step("Kafka broker", () -> startKafka(kafkaDir, kafkaRanBefore,
                    settings.kafkaPort()));
            running.push(kafka);
            noteKeptKafkaPort(progress, kafka, kafkaRanBefore, settings.kafkaPort());
            LocalS3 s3 = progress.step("S3 endpoint", () -> startS3(dir.resolve("s3"), settings));
            running.push(s3);
            Worker worker = progress.loggingStep("worker", () -> startWorker(
                    DevWorkerConfig.of(settings, kafka.bootstrapServers(), s3, dir.resolve("worker"))));
            running.push(worker);
            DevEndpoints endpoints = new DevEndpoints(dir, kafka.bootstrapServers(), s3.endpoint(), settings.bucket(),
                    s3.accessKey(), s3.secretKey(), StorageProfile.DEFAULT_NAME, worker.meta().httpAddress());
            return new DevStack(running, worker, endpoints);
        } catch (RuntimeException e) {
            RuntimeException stopFailure = closeAll(running);
            if (stopFailure != null) {
                e.addSuppressed(stopFailure);
            }
            throw e;
        }
    }

    public DevEndpoints endpoints() {
        return endpoints;
    }

    /** Waits until the worker stopped: closed, or stopped by a fatal error ({@link #failure()}). */
    public void awaitStop() throws InterruptedException {
        worker.awaitStop();
    }

    /** The fatal error that stopped the worker, or null. */
    public Throwable failure() {
        return worker.failure();
    }

    /** Stops the worker, S3 and Kafka in that order and releases the data dir; idempotent. The data stays. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = closeAll(running);
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Fails fast, before anything starts, when a requested port is taken: the broker would otherwise log pages of
     * stack traces first. (A port persisted by an earlier run is left to the broker to check.)
     */
    private static void requireFreePorts(DevSettings settings, boolean kafkaRanBefore) {
        if (!kafkaRanBefore) {
            requireFreePort(settings.kafkaPort(), "--kafka-port", "the Kafka broker");
            if (settings.kafkaPort() != 0) {
                requireFreePort(settings.kafkaPort() + 1, "--kafka-port", "the Kafka controller (--kafka-port + 1)");
            }
        }
        requireFreePort(settings.s3Port(), "--s3-port", "the S3 endpoint");
        requireFreePort(settings.httpPort(), "--http-port", "the HTTP API");
    }

    private static void requireFreePort(int port, String option, String user) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("Port " + port + " for " + user + " is in use (" + e.getMessage()
                    + "); is another 'fathom dev' or a Kafka/S3 server running? Pass " + option
                    + " with another port, or 0 for any free port");
        }
    }

    private static LocalKafka startKafka(Path dir, boolean ranBefore, int requestedPort) {
        LocalKafka kafka = LocalKafka.builder().nodes(1).mode(LocalKafka.Mode.IN_PROCESS).dataDir(dir)
                // 0 makes LocalKafka reuse the ports persisted in its dir, so clients keep their address.
                .ports(ranBefore ? 0 : requestedPort)
                .build();
        kafka.start();
        return kafka;
    }

    private static void noteKeptKafkaPort(StartupProgress progress, LocalKafka kafka, boolean ranBefore,
            int requestedPort) {
        if (ranBefore && requestedPort != 0 && !kafka.bootstrapServers().equals("localhost:" + requestedPort)) {
            progress.note("  (Kafka keeps " + kafka.bootstrapServers() + " from the first start on this data dir;"
                    + " --kafka-port " + requestedPort + " only applies to a new data dir)");
        }
    }

    private static LocalS3 startS3(Path dir, DevSettings settings) {
        LocalS3 s3 = LocalS3.start(dir, settings.s3Port(), ACCESS_KEY, SECRET_KEY);
        try {
            s3.createBucketIfMissing(settings.bucket());
            return s3;
        } catch (RuntimeException e) {
            s3.close();
            throw new IllegalStateException("Could not create bucket " + settings.bucket() + " at " + s3.endpoint(), e);
        }
    }

    private static Worker startWorker(WorkerConfig config) {
        Worker worker = Worker.start(config);
        try {
            awaitQueryApi(worker, config.workerId());
            return worker;
        } catch (RuntimeException e) {
            worker.close();
            throw e;
        }
    }

    /** The query API answers once Kafka Streams is RUNNING (meta and catalog restored). */
    private static void awaitQueryApi(Worker worker, String workerId) {
        long deadline = System.nanoTime() + WORKER_READY_TIMEOUT.toNanos();
        while (!worker.meta().isRunning()) {
            if (!worker.isRunning()) {
                throw new IllegalStateException("Worker " + workerId + " stopped while starting", worker.failure());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("The meta service of worker " + workerId + " was not RUNNING after "
                        + WORKER_READY_TIMEOUT.toSeconds() + " s");
            }
            try {
                Thread.sleep(READY_POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for worker " + workerId + " to start", e);
            }
        }
    }

    /** Closes everything in reverse start order, even after a failure; returns the failures (null when none). */
    private static RuntimeException closeAll(Deque<AutoCloseable> running) {
        RuntimeException failure = null;
        while (!running.isEmpty()) {
            AutoCloseable next = running.pop();
            try {
                next.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("Could not stop " + next.getClass().getSimpleName(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }
}
