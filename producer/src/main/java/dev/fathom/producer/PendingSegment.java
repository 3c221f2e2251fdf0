package dev.fathom.producer;

import dev.fathom.schemas.format.EncodedSegment;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.schemas.format.SegmentId;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A stored segment on its way to durability: what to publish plus the callback that reports its outcome. The frames
 * are held in memory, or (with an outbox) read back from the segment's outbox entry when the publisher needs them,
 * in their wire encoding exactly as stored (no decode and re-encode), so that queued and published segments do not
 * hold their pages in memory. Thread-safe: the callback is claimed at
 * most once, whichever thread (publisher, watcher, shutdown) gets there first, so every callback runs exactly once.
 */
final class PendingSegment {

    private final String namespace;
    private final String profile;
    private final SegmentId id;
    private final long bytes;
    private final Supplier<EncodedSegment> frames;
    private final DurabilityCallback callback;
    private final AtomicBoolean claimed = new AtomicBoolean();

    /** A segment held in memory. */
    PendingSegment(String namespace, String profile, SealedSegment segment, DurabilityCallback callback) {
        this(namespace, profile, segment.id(), segment.frameBytes(), () -> EncodedSegment.of(segment), callback);
    }

    /**
     * A segment whose frames are loaded on demand.
     *
     * @param bytes the encoded frame bytes ({@link SealedSegment#frameBytes()})
     * @param frames loads the encoded segment; may throw (e.g. a corrupt outbox entry), which stops publishing
     */
    PendingSegment(String namespace, String profile, SegmentId id, long bytes, Supplier<EncodedSegment> frames,
            DurabilityCallback callback) {
        this.namespace = namespace;
        this.profile = profile;
        this.id = id;
        this.bytes = bytes;
        this.frames = frames;
        this.callback = callback;
    }

    String namespace() {
        return namespace;
    }

    String profile() {
        return profile;
    }

    /** Returns the segment's frame records, loading them when they are not held in memory. */
    EncodedSegment encoded() {
        return frames.get();
    }

    long endFrameNo() {
        return id.endFrameNo();
    }

    /** Returns the encoded frame bytes, the unit of the queue's and the transaction's byte bounds. */
    long bytes() {
        return bytes;
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
        return namespace + "/" + id.format();
    }

    @Override
    public String toString() {
        return "PendingSegment[" + describe() + "]";
    }
}
