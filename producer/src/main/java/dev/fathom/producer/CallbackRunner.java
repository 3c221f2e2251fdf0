package dev.fathom.producer;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs durability callbacks on one dedicated thread, in submission order, so that user code never runs on (or
 * blocks) the publishing thread or the durability watcher's consumer thread. Thread-safe. A throwing callback is
 * logged and the others still run. Owned and closed by {@link DurableFrameTracker}.
 */
final class CallbackRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CallbackRunner.class);

    private final ExecutorService executor;
    private volatile Thread callbackThread;

    CallbackRunner(String nodeId) {
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fathom-callbacks-" + nodeId);
            thread.setDaemon(true);
            callbackThread = thread;
            return thread;
        });
    }

    /** Runs the segment's callback with this outcome, unless its callback was already claimed. */
    void complete(PendingSegment pending, long durableFrameNo, Throwable failure) {
        if (!pending.claim()) {
            return;
        }
        Runnable task = () -> invoke(pending, durableFrameNo, failure);
        try {
            executor.execute(task);
        } catch (RejectedExecutionException closed) {
            // Only after close: the callback must still run once, so run it here.
            task.run();
        }
    }

    private static void invoke(PendingSegment pending, long durableFrameNo, Throwable failure) {
        try {
            pending.callback().onComplete(durableFrameNo, failure);
        } catch (RuntimeException | Error e) {
            log.error("Durability callback of segment {} threw; the other callbacks still run",
                    pending.describe(), e);
        }
    }

    /** Runs the callbacks already submitted, waiting at most {@code timeout}; later ones run on their caller. */
    void close(Duration timeout) {
        executor.shutdown();
        if (Thread.currentThread() == callbackThread) {
            return; // shutdown called from a callback: waiting for ourselves would only burn the timeout
        }
        try {
            boolean done = executor.awaitTermination(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
            if (!done && timeout.toMillis() > 0) {
                log.warn("Durability callbacks still running after {} ms at shutdown; leaving them to finish",
                        timeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
