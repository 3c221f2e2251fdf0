package dev.fathom.worker;

import org.apache.kafka.clients.consumer.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pauses every assigned partition while the backlog (segments assembled but not finished, and their frame bytes) is
 * above {@code max.backlog.bytes} or {@code max.backlog.segments}, and resumes them once it drained; so a slow or
 * unreachable S3 does not make the worker buffer unbounded data. Chunks of segments still assembling are not
 * counted: pausing could then keep a large segment from ever completing. Not thread-safe; owned by the poll thread.
 */
final class BacklogLimits {

    private static final Logger log = LoggerFactory.getLogger(BacklogLimits.class);

    private final long maxBytes;
    private final int maxSegments;
    private boolean paused;

    BacklogLimits(long maxBytes, int maxSegments) {
        this.maxBytes = maxBytes;
        this.maxSegments = maxSegments;
    }

    /** Pauses or resumes {@code consumer}'s partitions according to {@code scheduler}'s backlog. */
    void apply(Consumer<?, ?> consumer, NamespaceScheduler scheduler) {
        long bytes = scheduler.backlogBytes();
        int segments = scheduler.backlogSegments();
        if (bytes > maxBytes || segments > maxSegments) {
            consumer.pause(consumer.assignment()); // every time: partitions assigned since then must pause too
            if (!paused) {
                paused = true;
                log.info("Paused consuming segments: {} segments ({} bytes) are assembled but not yet durable, above"
                        + " the limits of {} segments / {} bytes", segments, bytes, maxSegments, maxBytes);
            }
        } else if (paused) {
            paused = false;
            consumer.resume(consumer.paused());
            log.info("Resumed consuming segments: the backlog drained to {} segments ({} bytes)", segments, bytes);
        }
    }

    boolean isPaused() {
        return paused;
    }
}
