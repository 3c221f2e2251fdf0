package dev.fathom.producer;

import dev.fathom.schemas.format.SealedSegment;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A stored segment on its way to durability: what to publish plus the callback that reports its outcome.
 * Thread-safe: the callback is claimed at most once, whichever thread (publisher, watcher, shutdown) gets there
 * first, so every callback runs exactly once.
 */
final class PendingSegment {

    private final String namespace;
    private final String profile;
    private final SealedSegment segment;
    private final DurabilityCallback callback;
    private final AtomicBoolean claimed = new AtomicBoolean();

    PendingSegment(String namespace, String profile, SealedSegment segment, DurabilityCallback callback) {
        this.namespace = namespace;
        this.profile = profile;
        this.segment = segment;
        this.callback = callback;
    }

    String namespace() {
        return namespace;
    }

    String profile() {
        return profile;
    }

    SealedSegment segment() {
        return segment;
    }

    long endFrameNo() {
        return segment.endFrameNo();
    }

    /** Returns the encoded frame bytes, the unit of the queue's and the transaction's byte bounds. */
    long bytes() {
        return segment.frameBytes();
    }

    DurabilityCallback callback() {
        return callback;
    }

    /** Returns true exactly once: to the caller that may now run the callback. */
    boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    /** Returns {@code <namespace>/<segment id>} for logs and messages. */
    String describe() {
        return namespace + "/" + segment.id().format();
    }

    @Override
    public String toString() {
        return "PendingSegment[" + describe() + "]";
    }
}
