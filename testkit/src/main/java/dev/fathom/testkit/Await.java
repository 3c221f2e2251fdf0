package dev.fathom.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Bounded waiting for tests: polls a condition every {@value #POLL_MS} ms until it holds or the timeout passes, then
 * fails with an {@link AssertionError} naming what was awaited. A {@link RuntimeException} thrown by the condition
 * counts as "not yet" (e.g. a store that is still rebalancing) and becomes the cause of the timeout error; an
 * {@link Error} (a failed assertion) propagates at once. Stateless; thread-safe.
 */
public final class Await {

    static final long POLL_MS = 25;

    private Await() {
    }

    /** Waits until {@code condition} returns true; {@code whatWeWaitFor} completes "Timed out waiting for ...". */
    public static void until(Duration timeout, BooleanSupplier condition, String whatWeWaitFor) {
        value(timeout, condition::getAsBoolean, Boolean.TRUE::equals, whatWeWaitFor);
    }

    /** Waits until {@code supplier} yields a value accepted by {@code accept} and returns that value. */
    public static <T> T value(Duration timeout, Supplier<T> supplier, Predicate<T> accept, String whatWeWaitFor) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        T last = null;
        RuntimeException lastFailure = null;
        while (true) {
            try {
                last = supplier.get();
                lastFailure = null;
                if (accept.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                lastFailure = e;
            }
            if (System.nanoTime() - deadline > 0) {
                throw timeout(timeout, whatWeWaitFor, last, lastFailure);
            }
            pause(whatWeWaitFor);
        }
    }

    private static AssertionError timeout(Duration timeout, String what, Object last, RuntimeException failure) {
        String detail = failure != null ? "last attempt threw " + failure : "last value: " + abbreviate(last);
        AssertionError error = new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for "
                + what + " (" + detail + ")");
        if (failure != null) {
            error.initCause(failure);
        }
        return error;
    }

    private static String abbreviate(Object value) {
        String s = Objects.toString(value);
        return s.length() <= 500 ? s : s.substring(0, 500) + "...";
    }

    private static void pause(String what) {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for " + what, e);
        }
    }
}
