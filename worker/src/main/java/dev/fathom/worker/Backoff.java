package dev.fathom.worker;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Capped exponential backoff with jitter for retrying a job: attempt n waits a random time in [d/2, d] where
 * d = min(max, initial * 2^(n-1)). The jitter keeps workers that failed together from retrying together.
 * Thread-safe when the random generator is (the default, from {@link java.util.concurrent.ThreadLocalRandom}, is).
 */
final class Backoff {

    private final long initialMs;
    private final long maxMs;
    private final RandomGenerator random;

    Backoff(Duration initial, Duration max, RandomGenerator random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("Backoff needs 0 < initial <= max, got initial " + initial
                    + " and max " + max);
        }
        this.initialMs = initial.toMillis();
        this.maxMs = max.toMillis();
        this.random = random;
    }

    /** Returns how long to wait before attempt {@code failedAttempts + 1}, given {@code failedAttempts >= 1}. */
    Duration delay(int failedAttempts) {
        int doublings = Math.min(Math.max(failedAttempts, 1) - 1, 62);
        long ceiling = initialMs << Math.min(doublings, Long.numberOfLeadingZeros(initialMs) - 1);
        long capped = Math.min(maxMs, ceiling);
        long half = capped / 2;
        return Duration.ofMillis(half + random.nextLong(capped - half + 1));
    }
}
