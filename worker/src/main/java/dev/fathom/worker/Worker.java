package dev.fathom.worker;

import dev.fathom.schemas.TopicProvisioner;
import dev.fathom.schemas.Topics;
import dev.fathom.worker.meta.MetaService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
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
    private final Admin admin;
    private final StorageProfiles profiles;
    private final MetaService meta;
    private final SegmentEventLoop loop;
    private final Thread loopThread;

    private Worker(String workerId, Admin admin, StorageProfiles profiles, MetaService meta, SegmentEventLoop loop) {
        this.workerId = workerId;
        this.admin = admin;
        this.profiles = profiles;
        this.meta = meta;
        this.loop = loop;
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
        MetaService meta = null;
        try {
            Topics topics = config.topics();
            new TopicProvisioner(admin, topics, config.topicSettings()).ensureTopics();
            TopicLayout layout = layout(admin, topics);
            profiles = StorageProfiles.create(config.storageProfiles());
            meta = new MetaService(config);
            meta.start();
            SegmentEventLoop loop = new SegmentEventLoop(config, admin, profiles, layout, Clock.systemUTC());
            Worker worker = new Worker(config.workerId(), admin, profiles, meta, loop);
            worker.loopThread.start();
            log.info("Worker {} started in group {}: {} partitions of {}, storage profiles {}", config.workerId(),
                    config.groupId(), layout.segmentsPartitions(), topics.segments(), profiles.names());
            return worker;
        } catch (RuntimeException e) {
            closeAll(meta, profiles, admin);
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
        closeAll(meta, profiles, admin);
        log.info("Worker {} stopped", workerId);
    }

    private static TopicLayout layout(Admin admin, Topics topics) {
        try {
            Map<String, TopicDescription> described = admin.describeTopics(
                    List.of(topics.segments(), topics.meta(), topics.catalog())).allTopicNames().get();
            return new TopicLayout(topics, described.get(topics.segments()).partitions().size(),
                    described.get(topics.meta()).partitions().size(),
                    described.get(topics.catalog()).partitions().size());
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        } catch (ExecutionException e) {
            throw new KafkaException("Could not describe topics " + topics.all() + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
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
