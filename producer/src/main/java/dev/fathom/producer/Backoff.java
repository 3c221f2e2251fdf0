package dev.fathom.producer;

import java.time.Duration;

/**
 * Capped exponential delay between attempts of a whole Kafka transaction: {@code initial * 2^(attempt-1)},
 * at most {@code max}. Immutable; thread-safe.
 */
record Backoff(Duration initial, Duration max) {

    static final Backoff PUBLISH = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));

    Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("Backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
    }

    /** Returns the delay after failed attempt number {@code attempt} (from 1). */
    Duration delayAfter(int attempt) {
        int doublings = Math.min(Math.max(attempt, 1) - 1, 30);
        long millis = initial.toMillis() << doublings;
        return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }
}
