package dev.fathom.producer;

import dev.fathom.producer.outbox.Outbox;
import dev.fathom.producer.outbox.OutboxEntry;
import dev.fathom.producer.outbox.OutboxFullException;
import dev.fathom.schemas.format.SealedSegment;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes stored segments into the publishing {@link SegmentQueue}: straight from memory, or, with {@code outbox.dir},
 * through an fsynced {@link Outbox} entry first, which is deleted once the segment is durable and which the
 * publisher reads back when it sends the segment. With an outbox the outbox's byte bound, not the queue's, limits
 * {@code store()}. At start it replays the entries a previous run left, per namespace in frame order, skipping
 * those already durable. Remembers the newest end frame stored per namespace. Thread-safe.
 */
final class SegmentIntake implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SegmentIntake.class);
    private static final Comparator<OutboxEntry> REPLAY_ORDER = Comparator.comparing(OutboxEntry::namespace)
            .thenComparingLong(e -> e.id().startFrameNo()).thenComparingLong(OutboxEntry::sequence);

    private final SegmentQueue queue;
    private final Outbox outbox; // null without outbox.dir
    private final QueueFullBehavior behavior;
    private final Duration blockTimeout;
    private final Map<String, Long> newestStored = new ConcurrentHashMap<>();

    private SegmentIntake(SegmentQueue queue, Outbox outbox, QueueFullBehavior behavior, Duration blockTimeout) {
        this.queue = queue;
        this.outbox = outbox;
        this.behavior = behavior;
        this.blockTimeout = blockTimeout;
    }

    /**
     * Opens the outbox when {@code outbox.dir} is set (verifying its entries) and builds the queue: bounded by
     * {@code queue.max.*} without an outbox, unbounded with one (its entries only hold metadata in memory).
     *
     * @throws dev.fathom.schemas.format.CorruptSegmentException naming the file when an outbox entry is corrupt
     * @throws IllegalStateException when another FathomStorage holds the outbox directory
     */
    static SegmentIntake create(FathomStorageConfig config, Clock clock) {
        if (config.outboxDir().isEmpty()) {
            SegmentQueue queue = new SegmentQueue(new SegmentQueue.QueueBounds(config.queueMaxSegments(),
                    config.queueMaxBytes(), config.queueFullBehavior(), config.queueBlockTimeout()), clock);
            return new SegmentIntake(queue, null, config.queueFullBehavior(), config.queueBlockTimeout());
        }
        Outbox outbox = Outbox.open(config.outboxDir().get(), config.outboxMaxBytes());
        SegmentQueue queue = new SegmentQueue(new SegmentQueue.QueueBounds(Integer.MAX_VALUE, Long.MAX_VALUE,
                config.queueFullBehavior(), config.queueBlockTimeout()), clock);
        log.info("Opened outbox {} of node {}: {} entries, {} bytes of outbox.max.bytes={}", outbox.dir(),
                config.nodeId(), outbox.size(), outbox.bytes(), outbox.maxBytes());
        return new SegmentIntake(queue, outbox, config.queueFullBehavior(), config.queueBlockTimeout());
    }

    /** Returns the queue the publisher takes from. */
    SegmentQueue queue() {
        return queue;
    }

    /**
     * Queues a validated segment; with an outbox, returns only once its entry is fsynced.
     *
     * @throws QueueFullException when the queue or the outbox stays full (nothing was stored)
     * @throws IllegalStateException when the queue is closed (nothing was stored)
     * @throws java.io.UncheckedIOException when the outbox entry could not be written (nothing was stored)
     */
    void store(String namespace, String profile, SealedSegment segment, DurabilityCallback onDurable) {
        if (outbox == null) {
            queue.put(new PendingSegment(namespace, profile, segment, onDurable));
        } else {
            OutboxEntry entry = append(namespace, profile, segment);
            try {
                queue.put(pending(entry, onDurable));
            } catch (RuntimeException e) {
                outbox.delete(entry); // store() fails, so the segment must not come back at the next start
                throw e;
            }
        }
        newestStored.merge(namespace, segment.endFrameNo(), Math::max);
    }

    private OutboxEntry append(String namespace, String profile, SealedSegment segment) {
        Duration wait = behavior == QueueFullBehavior.FAIL ? Duration.ZERO : blockTimeout;
        try {
            return outbox.append(namespace, profile, segment, wait);
        } catch (OutboxFullException e) {
            String how = behavior == QueueFullBehavior.FAIL ? "queue.full.behavior=fail"
                    : "queue.full.behavior=block, queue.block.timeout.ms=" + blockTimeout.toMillis();
            throw new QueueFullException(e.getMessage() + " (" + how + "); the segment was not stored", e);
        }
    }

    private PendingSegment pending(OutboxEntry entry, DurabilityCallback onDurable) {
        return new PendingSegment(entry.namespace(), entry.profile(), entry.id(), entry.frameBytes(),
                () -> outbox.readEncoded(entry), (durableFrameNo, failure) -> {
                    if (failure == null) {
                        outbox.delete(entry); // durable now: the workers have it in object storage
                    }
                    onDurable.onComplete(durableFrameNo, failure);
                });
    }

    /**
     * Queues the entries a previous run left in the outbox, per namespace in frame order, before any new segment;
     * deletes those whose end frame is already durable instead. Call once, after the durability watcher caught up.
     */
    void replay(DurableFrameTracker tracker) {
        if (outbox == null) {
            return;
        }
        List<OutboxEntry> entries = new ArrayList<>(outbox.recovered());
        entries.sort(REPLAY_ORDER);
        int skipped = 0;
        for (OutboxEntry entry : entries) {
            newestStored.merge(entry.namespace(), entry.id().endFrameNo(), Math::max);
            if (entry.id().endFrameNo() <= tracker.durableFrameNo(entry.namespace())) {
                outbox.delete(entry);
                skipped++;
            } else {
                queue.put(pending(entry, (durableFrameNo, failure) -> { }));
            }
        }
        if (!entries.isEmpty()) {
            log.info("Replaying {} segments left in outbox {} ({} bytes) before new ones; deleted {} already durable",
                    entries.size() - skipped, outbox.dir(), outbox.bytes(), skipped);
        }
    }

    /** Returns max(durable frame no, newest end frame stored through this intake or found in its outbox). */
    long lastStoredFrameNo(String namespace, long durableFrameNo) {
        return Math.max(durableFrameNo, newestStored.getOrDefault(namespace, 0L));
    }

    /** Returns the number of outbox entries (segments stored, not yet durable), 0 without an outbox. */
    int outboxEntries() {
        return outbox == null ? 0 : outbox.size();
    }

    /** Returns the total size of the outbox entries in bytes, 0 without an outbox. */
    long outboxBytes() {
        return outbox == null ? 0 : outbox.bytes();
    }

    /** Releases the outbox directory; its entries stay for the next start. Idempotent. */
    @Override
    public void close() {
        if (outbox == null) {
            return;
        }
        if (outbox.size() > 0) {
            log.info("{} segments ({} bytes) not yet durable stay in outbox {}; the next start publishes them",
                    outbox.size(), outbox.bytes(), outbox.dir());
        }
        outbox.close();
    }
}
