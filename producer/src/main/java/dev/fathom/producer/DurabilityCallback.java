package dev.fathom.producer;

/**
 * Receives the outcome of one {@link FathomStorage#store stored} segment: it became durable, or it never will
 * through this {@link FathomStorage}.
 *
 * <p>Called exactly once per stored segment, on Fathom's callback thread, in end-frame order per namespace.
 * Implementations should return quickly; a slow callback delays the callbacks behind it (never publishing or the
 * durability watcher). An exception thrown here is logged and does not affect other callbacks.
 */
@FunctionalInterface
public interface DurabilityCallback {

    /**
     * Reports the outcome of a stored segment.
     *
     * @param durableFrameNo on success, the namespace's durable frame number (at least the segment's end frame);
     *     on failure, the durable frame number known at that time (0 when unknown)
     * @param failure null on success; otherwise why the segment is not known to be durable, e.g.
     *     {@link StorageShutdownException} or the fatal Kafka error that stopped publishing
     */
    void onComplete(long durableFrameNo, Throwable failure);
}
