package dev.fathom.producer;

import dev.fathom.producer.restore.FathomReader;
import dev.fathom.producer.restore.RestoreProgress;
import dev.fathom.producer.restore.RestoreResult;
import dev.fathom.producer.restore.RestoreTarget;
import dev.fathom.producer.restore.StoredSegment;
import dev.fathom.schemas.FathomSerdes;
import dev.fathom.schemas.Namespace;
import dev.fathom.schemas.TopicProvisioner;
import dev.fathom.schemas.TopicSettings;
import dev.fathom.schemas.format.CompactedSegment;
import dev.fathom.schemas.format.PageIndex;
import dev.fathom.schemas.format.SealedSegment;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node-side entry point: accepts sealed segments, publishes them to Kafka (all chunks of a segment in one
 * transaction, a namespace's segments in store() order) and reports each one's durability to its callback once a
 * worker recorded it in the meta topic. Thread-safe. Owns a publishing thread, a durability-watcher thread and a
 * callback thread; {@link #close} (graceful) or {@link #forceShutdown} stops them.
 *
 * <p>Every stored segment's callback runs exactly once: with the durable frame number, or with a failure
 * ({@link StorageShutdownException}, or the fatal Kafka error that stopped publishing). Nothing is dropped silently.
 */
public final class FathomStorage implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FathomStorage.class);
    private static final Duration FORCED_STOP_WAIT = Duration.ofSeconds(5);

    private final FathomStorageConfig config;
    private final Clock clock;
    private final Parts parts;
    private final FathomReader reader;
    private final AtomicBoolean shutdownStarted = new AtomicBoolean();
    private final AtomicBoolean forceStarted = new AtomicBoolean();

    /** The running pieces, wired by {@link #start(FathomStorageConfig, Clock)}. */
    private record Parts(SegmentIntake intake, SegmentPublisher publisher, Thread publisherThread,
            TransactionalSender sender, DurabilityWatcher watcher) {

        SegmentQueue queue() {
            return intake.queue();
        }

        DurableFrameTracker tracker() {
            return watcher.tracker();
        }
    }

    private FathomStorage(FathomStorageConfig config, Clock clock, Parts parts) {
        this.config = config;
        this.clock = clock;
        this.parts = parts;
        this.reader = FathomReader.fromConfig(config);
    }

    /** Starts a storage with the system UTC clock; see {@link #start(FathomStorageConfig, Clock)}. */
    public static FathomStorage start(FathomStorageConfig config) {
        return start(config, Clock.systemUTC());
    }

    /**
     * Creates or checks the topics, starts the durability watcher and registers the transactional producer
     * (fencing any earlier instance with the same node.id), then starts publishing. Waits up to
     * {@code startup.timeout.ms} for the watcher to read the meta topic, so {@link #durableFrameNo} is current.
     * With {@code outbox.dir}, first verifies the outbox, and before returning queues the segments it holds (per
     * namespace in frame order, ahead of any new one), deleting those already durable.
     *
     * @param clock source of time for timeouts and deadlines; must advance
     * @throws org.apache.kafka.common.KafkaException when Kafka cannot be reached or refuses the producer
     * @throws IllegalStateException when an existing topic is misconfigured, or another FathomStorage holds
     *     {@code outbox.dir}
     * @throws dev.fathom.schemas.format.CorruptSegmentException naming the file when an outbox entry is corrupt
     */
    public static FathomStorage start(FathomStorageConfig config, Clock clock) {
        SegmentIntake intake = SegmentIntake.create(config, clock); // a corrupt outbox stops start before Kafka
        try {
            return start(config, clock, intake);
        } catch (RuntimeException e) {
            intake.close();
            throw e;
        }
    }

    private static FathomStorage start(FathomStorageConfig config, Clock clock, SegmentIntake intake) {
        provisionTopics(config);
        DurableFrameTracker tracker = new DurableFrameTracker(new CallbackRunner(config.nodeId()), clock);
        DurabilityWatcher watcher = new DurabilityWatcher(new KafkaConsumer<>(KafkaClientSettings.consumer(config),
                new StringDeserializer(), FathomSerdes.durableFrame().deserializer()), config.topics().meta(), tracker);
        TransactionalSender sender = new TransactionalSender(() -> new KafkaProducer<>(
                KafkaClientSettings.producer(config), new StringSerializer(), FathomSerdes.segmentChunk().serializer()));
        try {
            watcher.start();
            sender.init();
        } catch (RuntimeException e) {
            watcher.close(Duration.ZERO);
            sender.close(Duration.ZERO);
            tracker.close();
            throw e;
        }
        SegmentQueue queue = intake.queue();
        SegmentPublisher publisher = new SegmentPublisher(queue, sender,
                new SegmentChunker(config.chunkMaxBytes(), config.nodeId()), tracker, new SegmentPublisher.Settings(
                        config.topics().segments(), config.publishMaxTransactionBytes(), Backoff.PUBLISH));
        Thread publisherThread = new Thread(publisher, "fathom-publisher-" + config.nodeId());
        publisherThread.start();
        FathomStorage storage = new FathomStorage(config, clock,
                new Parts(intake, publisher, publisherThread, sender, watcher));
        storage.awaitWatcherCaughtUp();
        intake.replay(tracker); // before start() returns, so before any new segment of a namespace
        log.info("Started storage of node {}: publishing to {}, following durable frames on {}", config.nodeId(),
                config.topics().segments(), config.topics().meta());
        return storage;
    }

    private static void provisionTopics(FathomStorageConfig config) {
        TopicSettings defaults = TopicSettings.defaults();
        TopicSettings settings = new TopicSettings(config.topicPartitions(), defaults.replicationFactor(),
                defaults.segmentsRetentionMs(), defaults.maxMessageBytes());
        try (Admin admin = Admin.create(KafkaClientSettings.admin(config))) {
            new TopicProvisioner(admin, config.topics(), settings).ensureTopics();
        }
    }

    private void awaitWatcherCaughtUp() {
        try {
            if (!parts.watcher().awaitCaughtUp(config.startupTimeout())) {
                log.warn("Durability watcher of node {} has not read {} to its end within startup.timeout.ms={};"
                        + " durableFrameNo() may report lower values until it has", config.nodeId(),
                        config.topics().meta(), config.startupTimeout().toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Queues a sealed segment for publishing and returns at once (or after waiting for queue space, as configured).
     * With {@code outbox.dir}, the segment is in an fsynced outbox file before this returns, so it survives a crash.
     * The callback later reports the outcome. Segments of a namespace are published in the order of these calls;
     * storing a segment again (e.g. after a restart) is safe.
     *
     * @param namespace the database, 1-128 chars of [A-Za-z0-9._-], not '.' or '..'
     * @param profile the storage profile name the workers resolve to a bucket (same alphabet as namespaces)
     * @throws dev.fathom.schemas.InvalidNamespaceException when the namespace is invalid
     * @throws IllegalArgumentException when the profile is invalid
     * @throws QueueFullException when the queue (or the outbox) stays full (nothing was stored)
     * @throws java.io.UncheckedIOException when the outbox entry could not be written (nothing was stored)
     * @throws IllegalStateException once shutdown started or publishing stopped after a fatal error
     */
    public void store(String namespace, SealedSegment segment, String profile, DurabilityCallback onDurable) {
        Namespace validNamespace = Namespace.of(namespace);
        requireValidProfile(profile, validNamespace);
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(onDurable, "onDurable");
        parts.intake().store(validNamespace.value(), profile, segment, onDurable);
    }

    private static void requireValidProfile(String profile, Namespace namespace) {
        if (!Namespace.isValid(profile)) {
            throw new IllegalArgumentException("Invalid storage profile " + (profile == null ? "null"
                    : "'" + profile.replaceAll("[^\\x20-\\x7e]", "?") + "'") + " for namespace '" + namespace
                    + "': a profile has 1-128 characters of A-Z a-z 0-9 . _ - and is not '.' or '..'");
        }
    }

    /**
     * Returns the namespace's durable frame number as last read from the meta topic, 0 when unknown.
     *
     * @throws dev.fathom.schemas.InvalidNamespaceException when the namespace is invalid
     */
    public long durableFrameNo(String namespace) {
        return parts.tracker().durableFrameNo(Namespace.of(namespace).value());
    }

    /**
     * Returns where an agent resumes: max(durable frame number, newest end frame stored by this instance or found
     * in its outbox at start), 0 when none.
     *
     * @throws dev.fathom.schemas.InvalidNamespaceException when the namespace is invalid
     */
    public long lastStoredFrameNo(String namespace) {
        String valid = Namespace.of(namespace).value();
        return parts.intake().lastStoredFrameNo(valid, parts.tracker().durableFrameNo(valid));
    }

    /** Returns the bytes of segments in the outbox (stored, not yet durable), 0 without {@code outbox.dir}. */
    public long outboxBytes() {
        return parts.intake().outboxBytes();
    }

    /** Returns the number of segments in the outbox (stored, not yet durable), 0 without {@code outbox.dir}. */
    public int outboxEntries() {
        return parts.intake().outboxEntries();
    }

    /** Returns the state of publishing to Kafka: committed and failed transactions, and whether the last failed. */
    public PublishStatus publishStatus() {
        return parts.publisher().status();
    }

    // The read path (storage.profiles, meta.urls): see FathomReader, which also works without Kafka.

    /** Restores a namespace into {@code target}; see {@link FathomReader#restore}. */
    public RestoreResult restore(Path target, String namespace, RestoreTarget options, String profile) {
        return reader.restore(target, namespace, options, profile);
    }

    /** Restores a namespace, reporting progress; see {@link FathomReader#restore}. */
    public RestoreResult restore(Path target, String namespace, RestoreTarget options, String profile,
                                 Consumer<RestoreProgress> progress) {
        return reader.restore(target, namespace, options, profile, progress);
    }

    /** Returns the newest segment {@code request} selects; see {@link FathomReader#findSegment}. */
    public Optional<StoredSegment> findSegment(String namespace, RestoreTarget request, String profile) {
        return reader.findSegment(namespace, request, profile);
    }

    /** Returns a segment's verified page index; see {@link FathomReader#fetchSegmentIndex}. */
    public PageIndex fetchSegmentIndex(String namespace, StoredSegment segment, String profile) {
        return reader.fetchSegmentIndex(namespace, segment, profile);
    }

    /** Returns a whole verified compacted segment; see {@link FathomReader#fetchSegmentData}. */
    public CompactedSegment fetchSegmentData(String namespace, StoredSegment segment, String profile) {
        return reader.fetchSegmentData(namespace, segment, profile);
    }

    /** Returns the segments {@code until} admits, newest first, lazily; see {@link FathomReader#listSegments}. */
    public Stream<StoredSegment> listSegments(String namespace, RestoreTarget until, String profile) {
        return reader.listSegments(namespace, until, profile);
    }

    /** Returns one page as of a frame, as a restore would write it; see {@link FathomReader#readPage}. */
    public Optional<byte[]> readPage(String namespace, int pageNo, long atFrameNo, String profile) {
        return reader.readPage(namespace, pageNo, atFrameNo, profile);
    }

    /** Returns how many publishing transactions failed and were retried since start (for tests and metrics). */
    long failedTransactions() {
        return parts.publisher().failedTransactions();
    }

    /**
     * Stops accepting segments, publishes every queued one, then waits until all published segments are durable,
     * all within {@code shutdown.timeout.ms}; callbacks still pending then get a {@link StorageShutdownException}.
     * Closes the Kafka clients. Idempotent.
     */
    public void shutdown() {
        if (!shutdownStarted.compareAndSet(false, true)) {
            return;
        }
        Instant deadline = clock.instant().plus(config.shutdownTimeout());
        log.info("Shutting down storage of node {}: publishing {} queued segments, then waiting up to {} ms for"
                + " durability", config.nodeId(), parts.queue().size(), config.shutdownTimeout().toMillis());
        parts.queue().close("FathomStorage of node " + config.nodeId() + " is shut down", null);
        try {
            if (!parts.publisher().awaitFinished(remaining(deadline))) {
                log.warn("Node {} could not publish every queued segment within shutdown.timeout.ms={}; failing the"
                        + " rest", config.nodeId(), config.shutdownTimeout().toMillis());
                stopPublishing("FathomStorage shut down before the segment was published (shutdown.timeout.ms)");
            }
            parts.tracker().awaitNoneWaiting(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopPublishing("FathomStorage shutdown was interrupted before the segment was published");
        }
        failWaiting("FathomStorage shut down before the segment was confirmed durable (shutdown.timeout.ms="
                + config.shutdownTimeout().toMillis() + ")");
        closeClients(remaining(deadline));
        log.info("Shut down storage of node {}", config.nodeId());
    }

    /**
     * Stops at once: queued segments are not published and, like published segments not yet confirmed durable,
     * their callbacks get a {@link StorageShutdownException}. Closes the Kafka clients without waiting. Idempotent.
     */
    public void forceShutdown() {
        shutdownStarted.set(true);
        if (!forceStarted.compareAndSet(false, true)) {
            return;
        }
        log.info("Force-shutting down storage of node {} with {} segments queued or in flight", config.nodeId(),
                parts.queue().size());
        stopPublishing("FathomStorage was force-shut down before the segment was published");
        failWaiting("FathomStorage was force-shut down before the segment was confirmed durable");
        closeClients(Duration.ZERO);
    }

    /** Same as {@link #shutdown()}. */
    @Override
    public void close() {
        shutdown();
    }

    private void stopPublishing(String reason) {
        StorageShutdownException failure = new StorageShutdownException(reason);
        List<PendingSegment> dropped = parts.queue().closeAndRemoveQueued(
                "FathomStorage of node " + config.nodeId() + " is shut down", null);
        dropped.forEach(pending -> parts.tracker().fail(pending, failure));
        parts.publisher().stop();
        parts.publisherThread().interrupt();
        try {
            parts.publisher().awaitFinished(FORCED_STOP_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // If the publishing thread is stuck, its batch still gets an answer (each callback runs only once).
        parts.publisher().inFlight().forEach(pending -> parts.tracker().fail(pending, failure));
    }

    private void failWaiting(String reason) {
        StorageShutdownException failure = new StorageShutdownException(reason);
        List<PendingSegment> waiting = parts.tracker().removeWaiting();
        if (!waiting.isEmpty()) {
            log.warn("{} published segments of node {} were not confirmed durable before shutdown", waiting.size(),
                    config.nodeId());
        }
        waiting.forEach(pending -> parts.tracker().fail(pending, failure));
    }

    private void closeClients(Duration timeout) {
        parts.sender().close(timeout);
        parts.watcher().close(timeout);
        parts.tracker().close(timeout);
        parts.intake().close();
        reader.close();
    }

    private Duration remaining(Instant deadline) {
        Duration left = Duration.between(clock.instant(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
