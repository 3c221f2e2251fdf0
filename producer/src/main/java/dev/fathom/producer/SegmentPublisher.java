package dev.fathom.producer;

import dev.fathom.schemas.SegmentChunk;
import dev.fathom.schemas.format.CorruptSegmentException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publishing loop: takes batches of segments from the {@link SegmentQueue} in store() order, writes all chunks
 * of a batch in one Kafka transaction, and hands committed segments to the {@link DurableFrameTracker}. A failed
 * transaction is aborted and the same batch retried with a capped backoff, so a namespace's segments stay in
 * order across retries; a fatal failure fails every pending callback and stops publishing. Delivery is at least
 * once: when a commit's outcome is unknown (a timed-out commit whose producer had to be recreated) the batch is sent
 * again, and workers acknowledge the replayed segments without work. Runs on one thread
 * ({@link #run}); {@link #stop} and the accessors may be called from any thread.
 */
final class SegmentPublisher implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(SegmentPublisher.class);
    private static final int LOGGED_SEGMENTS = 10;

    private final SegmentQueue queue;
    private final TransactionalSender sender;
    private final SegmentChunker chunker;
    private final DurableFrameTracker tracker;
    private final Settings settings;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicLong failedTransactions = new AtomicLong();
    private final AtomicLong committedTransactions = new AtomicLong();
    private volatile boolean lastAttemptFailed;
    private volatile List<PendingSegment> inFlight = List.of();

    /** Where and how much to publish per transaction, and how long to wait between attempts. */
    record Settings(String topic, long maxTransactionBytes, Backoff backoff) {
    }

    SegmentPublisher(SegmentQueue queue, TransactionalSender sender, SegmentChunker chunker,
            DurableFrameTracker tracker, Settings settings) {
        this.queue = queue;
        this.sender = sender;
        this.chunker = chunker;
        this.tracker = tracker;
        this.settings = settings;
    }

    @Override
    public void run() {
        List<PendingSegment> batch = List.of();
        try {
            while (!isStopped()) {
                batch = queue.takeBatch(settings.maxTransactionBytes());
                if (batch.isEmpty()) {
                    return; // closed and drained
                }
                inFlight = batch;
                publish(batch);
                finish(batch);
                batch = List.of();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (isStopped()) {
                failUnpublished(batch);
            } else {
                stopOnFatal(e, batch);
            }
        } catch (RuntimeException | Error e) {
            stopOnFatal(e, batch);
        } finally {
            finish(batch);
            finished.countDown();
        }
    }

    private void finish(List<PendingSegment> batch) {
        inFlight = List.of();
        queue.release(batch);
    }

    private void publish(List<PendingSegment> batch) throws InterruptedException {
        Iterable<ProducerRecord<String, SegmentChunk>> records = () -> records(batch);
        for (int attempt = 1; ; attempt++) {
            if (isStopped()) {
                failUnpublished(batch);
                return;
            }
            try {
                sender.sendInTransaction(records);
                committedTransactions.incrementAndGet();
                lastAttemptFailed = false;
                if (attempt > 1) {
                    log.info("Published segments {} after {} attempts", describe(batch), attempt);
                }
                batch.forEach(tracker::awaitDurable);
                return;
            } catch (RuntimeException e) {
                if (isStopped()) {
                    failUnpublished(batch);
                    return;
                }
                if (PublishFailures.isFatal(e) || isUnreadableEntry(e)) {
                    abortBeforeStop(e);
                    stopOnFatal(e, batch);
                    return;
                }
                try {
                    retryLater(batch, attempt, e);
                } catch (RuntimeException abortFailure) {
                    stopOnFatal(abortFailure, batch);
                    return;
                }
            }
        }
    }

    private void retryLater(List<PendingSegment> batch, int attempt, RuntimeException failure)
            throws InterruptedException {
        failedTransactions.incrementAndGet();
        lastAttemptFailed = true;
        Duration delay = settings.backoff().delayAfter(attempt);
        log.warn("Publishing segments {} ({} frame bytes) in one transaction failed on attempt {}; aborting it and"
                + " retrying the same segments in {} ms", describe(batch),
                batch.stream().mapToLong(PendingSegment::bytes).sum(), attempt, delay.toMillis(), failure);
        sender.abort();
        stopSignal.await(delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The batch's chunk records, built one segment at a time as the sender takes them (and again for a retry), so a
     * transaction holds the frames of one segment at a time beyond what the Kafka producer buffers
     * ({@code buffer.memory}), however many segments it commits.
     */
    private Iterator<ProducerRecord<String, SegmentChunk>> records(List<PendingSegment> batch) {
        return batch.stream().flatMap(pending -> chunker.chunk(pending.namespace(), pending.profile(),
                pending.encoded()).stream().map(chunk -> new ProducerRecord<>(settings.topic(), pending.namespace(),
                chunk))).iterator();
    }

    /** True when a segment could not be read back from its outbox entry: retrying cannot repair the file. */
    private static boolean isUnreadableEntry(Throwable failure) {
        return failure instanceof CorruptSegmentException || failure instanceof UncheckedIOException;
    }

    /** Aborts the open transaction (its records so far must not commit) before publishing stops. */
    private void abortBeforeStop(RuntimeException failure) {
        if (!isUnreadableEntry(failure)) {
            return; // fatal Kafka errors: the producer is unusable, and stopping closes it
        }
        try {
            sender.abort();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private void failUnpublished(List<PendingSegment> batch) {
        StorageShutdownException failure = new StorageShutdownException(
                "FathomStorage shut down before the segment was committed to Kafka");
        batch.forEach(pending -> tracker.fail(pending, failure));
    }

    private void stopOnFatal(Throwable failure, List<PendingSegment> batch) {
        stopSignal.countDown();
        List<PendingSegment> queued = queue.closeAndRemoveQueued(
                "FathomStorage stopped publishing after a fatal error: " + failure, failure);
        log.error("Stopping publishing to {} after a fatal error; failing {} in-flight and {} queued segments {}."
                + " Hint: {}", settings.topic(), batch.size(), queued.size(), describe(batch), hint(failure), failure);
        batch.forEach(pending -> tracker.fail(pending, failure));
        queued.forEach(pending -> tracker.fail(pending, failure));
    }

    /** What an operator should check, by the kind of failure: an unreadable outbox entry is not a Kafka problem. */
    static String hint(Throwable failure) {
        if (isUnreadableEntry(failure)) {
            return "a stored segment could not be read back from its outbox entry; the error names the file and"
                    + " what is wrong with it";
        }
        return "a fenced producer means another process runs with the same node.id; authorization errors need ACLs"
                + " for the transactional id and topic";
    }

    /** Asks the loop to stop soon: an in-flight or retried batch is failed, not retried. Any thread. */
    void stop() {
        stopSignal.countDown();
    }

    boolean isStopped() {
        return stopSignal.getCount() == 0;
    }

    /** Waits for the loop to end (queue closed and drained, stopped, or fatal); returns whether it ended. */
    boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
    }

    /** Returns the batch being published now (empty between batches). */
    List<PendingSegment> inFlight() {
        return inFlight;
    }

    /** Returns how many transactions failed and were retried since start. */
    long failedTransactions() {
        return failedTransactions.get();
    }

    /** Returns the loop's counts and whether its last transaction failed. Any thread. */
    PublishStatus status() {
        return new PublishStatus(committedTransactions.get(), failedTransactions.get(), lastAttemptFailed,
                isStopped() || finished.getCount() == 0);
    }

    private static String describe(List<PendingSegment> batch) {
        String shown = batch.stream().limit(LOGGED_SEGMENTS).map(PendingSegment::describe)
                .collect(Collectors.joining(", ", "[", ""));
        return shown + (batch.size() > LOGGED_SEGMENTS ? ", ... " + (batch.size() - LOGGED_SEGMENTS) + " more]" : "]");
    }
}
