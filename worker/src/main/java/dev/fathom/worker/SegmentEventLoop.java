package dev.fathom.worker;

import dev.fathom.schemas.FathomSerdes;
import dev.fathom.schemas.SegmentChunk;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's only poll loop and the only thread that touches its consumer and its transactional producer: polls
 * segment chunks, assembles them, lets {@link SegmentDispatcher} decide per namespace, collects job results from the
 * completion queue and commits them with the offsets in one transaction per iteration (a namespace's next upload runs
 * while its previous segment's transaction commits), pausing the partitions while the backlog is over its limits. Runs
 * on its own thread ({@link #run}); {@link #close} may be called from any thread.
 */
final class SegmentEventLoop implements Runnable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SegmentEventLoop.class);
    /** Short while jobs run: a finished upload waits for the next poll to return before it is committed. */
    private static final Duration BUSY_POLL = Duration.ofMillis(5);
    private static final Duration IDLE_POLL = Duration.ofMillis(200);

    private final String segmentsTopic;
    private final Consumer<String, byte[]> consumer;
    private final DurableFrameCommitter committer;
    private final DurableFrameLoader loader;
    private final PipelineState state;
    private final SegmentDispatcher dispatcher;
    private final PartitionLifecycle lifecycle;
    private final DurableRecords durableRecords;
    private final DeadLetterWriter deadLetters;
    private final CommitFault fault;
    private final BacklogLimits limits;
    private final WorkerMetrics metrics;
    private final LoopSampler sampler;
    private final BlockingQueue<JobResult> completions = new LinkedBlockingQueue<>();
    private final Deserializer<SegmentChunk> chunks = FathomSerdes.segmentChunk().deserializer();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile Throwable failure;

    /** Creates the Kafka clients (the producer initialises its transactions here, on the caller's thread). */
    SegmentEventLoop(WorkerConfig config, Admin admin, StorageProfiles profiles, TopicLayout layout, Clock clock,
                     WorkerMetrics metrics) {
        this.segmentsTopic = layout.topics().segments();
        this.metrics = metrics;
        this.sampler = new LoopSampler(metrics, segmentsTopic, clock);
        this.consumer = new KafkaConsumer<>(KafkaClientSettings.segmentsConsumer(config));
        this.loader = new DurableFrameLoader(new KafkaConsumer<>(KafkaClientSettings.metaConsumer(config)), admin,
                layout.topics().meta(), config.metaLoadTimeout());
        this.committer = startCommitter(config, metrics);
        this.state = new PipelineState(new AssignedPartitions(),
                new NamespaceScheduler(config.maxInFlightJobs(), "fathom-job-" + config.workerId() + "-"),
                new CommitBatch());
        this.deadLetters = new DeadLetterWriter(layout.topics().deadLetters(), segmentsTopic, config.workerId(),
                clock);
        Backoff backoff = new Backoff(config.jobRetryBackoff(), config.jobRetryBackoffMax(),
                new Random());
        this.dispatcher = new SegmentDispatcher(state, profiles, deadLetters,
                new JobLauncher(backoff, completions::add, metrics), layout.segmentsPartitions());
        this.lifecycle = new PartitionLifecycle(state, loader);
        this.durableRecords = new DurableRecords(layout, clock);
        this.fault = new CommitFault(config.faultBlockBeforeCommitMarker());
        this.limits = new BacklogLimits(config.maxBacklogBytes(), config.maxBacklogSegments());
    }

    private DurableFrameCommitter startCommitter(WorkerConfig config, WorkerMetrics metrics) {
        try {
            return new DurableFrameCommitter(() -> new KafkaProducer<>(KafkaClientSettings.producer(config)),
                    metrics);
        } catch (RuntimeException e) {
            closeQuietly("consumer", () -> consumer.close(CloseOptions.timeout(Duration.ZERO)));
            closeQuietly("meta loader", loader::close);
            throw e;
        }
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(segmentsTopic), lifecycle);
            while (running.get()) {
                runOnce();
            }
        } catch (WakeupException | InterruptException e) {
            if (running.get()) {
                fail(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (running.get()) {
                fail(e);
            }
        } catch (Throwable e) {
            fail(e);
        } finally {
            shutdown();
        }
    }

    /** Returns the failure that stopped the loop, or null while it runs or after a clean stop. */
    Throwable failure() {
        return failure;
    }

    /** Asks the loop to stop; returns at once. Callable from any thread. */
    @Override
    public void close() {
        if (running.compareAndSet(true, false)) {
            consumer.wakeup();
        }
    }

    private void runOnce() throws InterruptedException {
        Duration timeout = state.scheduler().runningJobs() > 0 || !completions.isEmpty() ? BUSY_POLL : IDLE_POLL;
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            intake(record);
        }
        drainCompletions();
        // Before the commit: a namespace whose segment was just uploaded starts uploading its next one while the
        // transaction commits (a failed commit rewinds and cancels it).
        dispatcher.dispatch();
        commit();
        limits.apply(consumer, state.scheduler());
        sampler.sample(consumer, state);
    }

    private void intake(ConsumerRecord<String, byte[]> record) {
        state.partitions().get(record.partition()).ifPresent(partition -> {
            partition.offsets().consumed(record.offset());
            SegmentChunk chunk;
            try {
                chunk = chunks.deserialize(record.topic(), record.value());
                if (chunk == null) {
                    throw new KafkaException("the record has no value");
                }
            } catch (KafkaException e) {
                log.error("Dead-lettering the undecodable record at partition {} offset {} (key {}): {}",
                        record.partition(), record.offset(), SegmentSource.printable(record.key()), e.getMessage());
                state.batch().add(record.partition(), deadLetters.forUndecodable(record.partition(), record.offset(),
                        record.key(), e.getMessage()));
                partition.offsets().finished(List.of(record.offset()));
                return;
            }
            partition.assembler().add(record.offset(), chunk).ifPresent(state.scheduler()::enqueue);
        });
    }

    private void drainCompletions() {
        for (JobResult result = completions.poll(); result != null; result = completions.poll()) {
            if (!state.partitions().isCurrent(result.partition(), result.generation())) {
                log.debug("Dropped the result for {}: its partition was revoked or rewound",
                        result.segment().source().name());
                continue;
            }
            if (result.fatal() != null) {
                throw new IllegalStateException("Stopping the worker: storing " + result.segment().source().name()
                        + " failed in a way no retry can fix: " + result.fatal().getMessage(), result.fatal());
            }
            PartitionState partition = state.partitions().get(result.partition()).orElseThrow();
            if (result.refusal() != null) {
                dispatcher.refuse(result.segment(), partition, result.refusal());
            } else {
                SegmentSource source = result.segment().source();
                state.batch().addDurable(result, durableRecords.of(result.segment(), result.uploaded()));
                partition.offsets().finished(source.offsets());
                // The lane may hand out the next segment now: its records follow these ones in the batch, or in a
                // later one, so meta still commits in frame order; a failed commit rewinds both.
                partition.uploaded(source.namespace(), source.endFrameNo());
                state.scheduler().finish(result.segment());
            }
        }
    }

    private void commit() throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (PartitionState partition : state.partitions().all()) {
            partition.offsets().uncommitted().ifPresent(offset -> offsets.put(
                    new TopicPartition(segmentsTopic, partition.partition()), new OffsetAndMetadata(offset)));
        }
        CommitBatch batch = state.batch();
        if (batch.isEmpty() && offsets.isEmpty()) {
            return;
        }
        fault.beforeCommit(batch);
        try {
            committer.commit(batch.records(), offsets, consumer.groupMetadata());
        } catch (InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            log.warn("Could not commit {} records with the offsets {} ({}); rewinding to the committed offsets to"
                    + " redo the work", batch.records().size(), offsets, e.toString());
            metrics.failure(FailureClass.TRANSIENT);
            committer.recover(e);
            batch.clear();
            lifecycle.rewind(consumer);
            return;
        }
        offsets.forEach((tp, offset) -> state.partitions().get(tp.partition())
                .ifPresent(p -> p.offsets().committed(offset.offset())));
        // Counted only now, once per committed outcome: a failed commit rewinds and redoes the same decisions.
        Map<Integer, Long> committed = new HashMap<>();
        offsets.forEach((tp, offset) -> committed.put(tp.partition(), offset.offset()));
        batch.committedOutcomes(committed).forEach(metrics::segment);
        metrics.failures(FailureClass.POISON, batch.deadLetterCount());
        metrics.deadLettersCommitted(batch.deadLetterCount());
        for (JobResult result : batch.durable()) {
            markDurable(result);
        }
        batch.clear();
    }

    private void markDurable(JobResult result) {
        SegmentSource source = result.segment().source();
        state.partitions().get(source.partition()).ifPresent(p -> p.advance(source.namespace(), source.endFrameNo()));
        metrics.segment(WorkerMetrics.Outcome.DURABLE);
        log.info("{} is durable: the durable frame no of namespace {} is now {}; {}", source.name(),
                source.namespace(), source.endFrameNo(), source.where());
    }

    private void fail(Throwable e) {
        failure = e;
        running.set(false);
        metrics.failure(FailureClass.FATAL);
        log.error("The worker's segment loop stopped: {}", e.toString(), e);
    }

    private void shutdown() {
        metrics.publish(LoopSample.STOPPED);
        state.scheduler().close();
        closeQuietly("consumer", () -> consumer.close(CloseOptions.timeout(Duration.ofSeconds(5))));
        closeQuietly("meta loader", loader::close);
        closeQuietly("producer", committer::close);
    }

    private static void closeQuietly(String what, Runnable close) {
        try {
            close.run();
        } catch (RuntimeException e) {
            log.warn("Could not close the worker's {} cleanly: {}", what, e.toString());
        }
    }
}
