package dev.fathom.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {

    @Test
    void shouldReturnOnceTheConditionHoldsRetryingExceptions() {
        AtomicInteger calls = new AtomicInteger();
        int value = Await.value(Duration.ofSeconds(5), () -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("not yet");
            }
            return calls.get();
        }, v -> v >= 4, "the counter to reach 4");
        assertEquals(4, value);
    }

    @Test
    void shouldFailWithTheDescriptionAndLastValueOnTimeout() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> Await.value(Duration.ofMillis(60), () -> 7, v -> v > 7, "seven to grow"));
        assertTrue(e.getMessage().contains("waiting for seven to grow (last value: 7)"), e.getMessage());
    }

    @Test
    void shouldKeepTheLastExceptionAsCause() {
        IllegalStateException boom = new IllegalStateException("store rebalancing");
        AssertionError e = assertThrows(AssertionError.class, () -> Await.until(Duration.ofMillis(60), () -> {
            throw boom;
        }, "the store"));
        assertEquals(boom, e.getCause());
    }

    @Test
    void shouldPropagateAssertionErrorsAtOnce() {
        AssertionError inner = new AssertionError("wrong value");
        assertEquals(inner, assertThrows(AssertionError.class, () -> Await.until(Duration.ofSeconds(5), () -> {
            throw inner;
        }, "never")));
    }
}
