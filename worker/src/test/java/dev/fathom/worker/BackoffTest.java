package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void shouldDoubleUpToTheCapWithJitterInTheUpperHalf() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), new Random(1));
        long[] ceilings = {100, 200, 400, 800, 1600, 2000, 2000};
        for (int attempt = 1; attempt <= ceilings.length; attempt++) {
            for (int sample = 0; sample < 50; sample++) {
                long delay = backoff.delay(attempt).toMillis();
                long ceiling = ceilings[attempt - 1];
                assertTrue(delay >= ceiling / 2 && delay <= ceiling,
                        "attempt " + attempt + " waited " + delay + " ms, expected " + ceiling / 2 + ".." + ceiling);
            }
        }
    }

    @Test
    void shouldNotOverflowAfterManyAttempts() {
        Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30), new Random(2));

        long delay = backoff.delay(10_000).toMillis();

        assertTrue(delay >= 15_000 && delay <= 30_000, "delay " + delay);
    }

    @Test
    void shouldRefuseAMaximumBelowTheInitialDelay() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()));

        assertEquals("Backoff needs 0 < initial <= max, got initial PT2S and max PT1S", e.getMessage());
    }
}
