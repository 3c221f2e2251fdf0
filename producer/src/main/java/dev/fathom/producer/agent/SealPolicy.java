package dev.fathom.producer.agent;

import java.time.Duration;

/**
 * When the agent seals the frames it has collected into a segment: at a commit boundary, once they hold
 * {@code maxBytes} of pages or their oldest transaction is {@code maxAge} old. Immutable; thread-safe.
 *
 * @param maxBytes page bytes at which a segment is sealed (segment.max.bytes)
 * @param maxAge age of the oldest collected transaction at which a segment is sealed (segment.max.age.ms)
 */
public record SealPolicy(long maxBytes, Duration maxAge) {

    public SealPolicy {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1, was " + maxBytes);
        }
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge must be >= 0, was " + maxAge);
        }
    }

    /**
     * Returns true when collected frames must be sealed now. Called only at commit boundaries.
     *
     * @param pageBytes page bytes collected so far; 0 means nothing to seal
     * @param age time since the oldest collected transaction was read
     */
    public boolean isDue(long pageBytes, Duration age) {
        return pageBytes > 0 && (pageBytes >= maxBytes || age.compareTo(maxAge) >= 0);
    }
}
