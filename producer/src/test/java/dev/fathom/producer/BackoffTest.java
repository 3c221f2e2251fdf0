package dev.fathom.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void shouldDoubleUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));
        assertEquals(Duration.ofMillis(100), backoff.delayAfter(1));
        assertEquals(Duration.ofMillis(200), backoff.delayAfter(2));
        assertEquals(Duration.ofMillis(6400), backoff.delayAfter(7));
        assertEquals(Duration.ofSeconds(10), backoff.delayAfter(8));
        assertEquals(Duration.ofSeconds(10), backoff.delayAfter(Integer.MAX_VALUE));
    }
}
