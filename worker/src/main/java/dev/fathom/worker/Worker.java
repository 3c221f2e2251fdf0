package dev.fathom.worker;

import dev.fathom.schemas.TopicProvisioner;
import dev.fathom.schemas.Topics;
import dev.fathom.worker.meta.MetaService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running worker: provisions the topics, builds the storage profiles, starts the meta service and the segment
 * event loop on its own thread. Thread-safe; {@link #close} stops everything and may be called from any thread
 * (a JVM shutdown hook in {@link WorkerMain}).
 */
public final class Worker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Worker.class);
    private static final Duration LOOP_STOP_TIMEOUT = Duration.ofSeconds(30);

    private final String workerId;
    private final MetaService meta;
    private final SegmentEventLoop loop;
    private final Thread loopThread;
    /** Closed in this order after the meta service: probes and profiles (S3 clients), metrics, admin. */
    private final List<AutoCloseable> resources;

    private Worker(String workerId, MetaService meta, SegmentEventLoop loop, List<AutoCloseable> resources) {
        this.workerId = workerId;
        this.meta = meta;
        this.loop = loop;
        this.resources = resources;
        this.loopThread = new Thread(loop, "fathom-segment-loop-" + workerId);
    }

    /**
     * Starts a worker.
     *
     * @throws KafkaException when Kafka cannot be reached or the topics are misconfigured
     */
    public static Worker start(WorkerConfig config) {
        Admin admin = Admin.create(KafkaClientSettings.admin(config));
        StorageProfiles profiles = null;
        WorkerMetrics metrics = null;
        BucketProbe buckets = null;
        MetaService meta = null;
        try {
            Topics topics = config.topics();
            new TopicProvisioner(admin, topics, config.topicSettings()).ensureTopics();
            TopicLayout layout = TopicLayout.describe(admin, topics);
            profiles = StorageProfiles.create(config.storageProfiles(), config.allowedNamespaces());
            metrics = new WorkerMetrics(profiles.names());
            buckets = BucketProbe.create(profiles, Clock.systemUTC());
            meta = new MetaService(config);
            meta.serveOperations(metrics::scrape,
                    new WorkerReadiness(metrics, meta, buckets, config.groupId())::evaluate);
            meta.start();
            SegmentEventLoop loop = new SegmentEventLoop(config, admin, profiles, layout, Clock.systemUTC(),
                    metrics);
            Worker worker = new Worker(config.workerId(), meta, loop, List.of(buckets, profiles, metrics, admin));
            worker.loopThread.start();
            log.info("Worker {} started in group {}: {} partitions of {}, storage profiles {}, Kafka security {}",
                    config.workerId(), config.groupId(), layout.segmentsPartitions(), topics.segments(),
                    profiles.names(), config.kafkaSecurity());
            return worker;
        } catch (RuntimeException e) {
            closeAll(meta, buckets, profiles, metrics, admin);
            throw e;
        }
    }

    /** Returns this worker's meta service (durable frames and catalog queries, HTTP API). */
    public MetaService meta() {
        return meta;
    }

    /** Returns whether the segment loop is running (false after close or after a fatal failure). */
    public boolean isRunning() {
        return loopThread.isAlive();
    }

    /** Returns the failure that stopped the segment loop, or null. */
    public Throwable failure() {
        return loop.failure();
    }

    /** Waits until the segment loop stopped (closed or failed). */
    public void awaitStop() throws InterruptedException {
        loopThread.join();
    }

    /** Stops the segment loop (in-flight jobs are abandoned: the next owner redoes them), then the meta service. */
    @Override
    public void close() {
        loop.close();
        try {
            loopThread.join(LOOP_STOP_TIMEOUT.toMillis());
            if (loopThread.isAlive()) {
                log.warn("Worker {}'s segment loop did not stop within {} s; interrupting it", workerId,
                        LOOP_STOP_TIMEOUT.toSeconds());
                loopThread.interrupt();
                loopThread.join(LOOP_STOP_TIMEOUT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeAll(meta);
        closeAll(resources.toArray(AutoCloseable[]::new));
        log.info("Worker {} stopped", workerId);
    }

    private static void closeAll(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("Could not close {} cleanly: {}", resource.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
