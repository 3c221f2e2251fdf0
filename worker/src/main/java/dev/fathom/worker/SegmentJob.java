package dev.fathom.worker;

import dev.fathom.schemas.DeadLetterReason;
import dev.fathom.schemas.format.CompactedSegmentObjects;
import dev.fathom.schemas.format.CompactedSegmentWriter;
import dev.fathom.schemas.format.SealedSegment;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Compacts one segment (newest version of each page, deterministic bytes) and uploads the data and index objects,
 * retrying transient failures with capped exponential backoff and jitter on its own pool thread (never the poll
 * thread; S3 request retries stay in the SDK). Reports exactly one {@link JobResult} unless cancelled by interrupt
 * (partition revoked or rewound, worker closing). Runs on one pool thread; puts namespace, segment and partition in
 * the MDC while it runs.
 */
final class SegmentJob implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(SegmentJob.class);
    /** After this many failed attempts a transient failure is logged at ERROR instead of WARN. */
    private static final int LOUD_AFTER_ATTEMPTS = 5;

    private final AssembledSegment item;
    private final long generation;
    private final SegmentUploader uploader;
    private final Backoff backoff;
    private final Consumer<JobResult> completions;
    private final WorkerMetrics metrics;

    SegmentJob(AssembledSegment item, long generation, SegmentUploader uploader, Backoff backoff,
               Consumer<JobResult> completions, WorkerMetrics metrics) {
        this.item = item;
        this.generation = generation;
        this.uploader = uploader;
        this.backoff = backoff;
        this.completions = completions;
        this.metrics = metrics;
    }

    @Override
    public void run() {
        SegmentSource source = item.source();
        MDC.put(LogKeys.NAMESPACE, source.namespace());
        MDC.put(LogKeys.SEGMENT, source.segmentId());
        MDC.put(LogKeys.PARTITION, Integer.toString(source.partition()));
        try {
            attemptUntilDone();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.debug("Job for {} was cancelled; the partition's next owner redoes it", source.name());
        } catch (Error e) {
            completions.accept(JobResult.fatal(item, generation, e));
            throw e;
        } finally {
            MDC.clear();
        }
    }

    private void attemptUntilDone() throws InterruptedException {
        SegmentSource source = item.source();
        for (int attempt = 1; ; attempt++) {
            try {
                UploadedSegment uploaded = compactAndUpload();
                if (attempt > 1) {
                    log.info("Stored {} after {} failed attempts", source.name(), attempt - 1);
                }
                completions.accept(JobResult.uploaded(item, generation, uploaded));
                return;
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("cancelled during upload of " + source.name());
                }
                FailureClass kind = FailureClassifier.classify(e);
                if (kind != FailureClass.TRANSIENT) {
                    completions.accept(kind == FailureClass.POISON ? poison(e) : fatal(e));
                    return;
                }
                metrics.failure(FailureClass.TRANSIENT);
                Duration delay = backoff.delay(attempt);
                logTransient(attempt, delay, e);
                Thread.sleep(delay.toMillis()); // a pool thread, not the poll thread; interrupt cancels it
            }
        }
    }

    private UploadedSegment compactAndUpload() {
        SealedSegment segment = item.segment();
        CompactedSegmentObjects objects = CompactedSegmentWriter.write(segment);
        Timer.Sample started = metrics.startTimer();
        UploadedSegment uploaded = uploader.upload(item.namespace(), segment.id(), objects);
        metrics.uploaded(started, uploaded.profile(), (long) objects.data().length + objects.index().length);
        return uploaded;
    }

    private JobResult poison(RuntimeException e) {
        SegmentSource source = item.source();
        log.error("Refusing {}: it cannot be compacted or stored ({}); {}", source.name(), e.getMessage(),
                source.where(), e);
        return JobResult.refused(item, generation, new Refusal(DeadLetterReason.INVALID_SEGMENT,
                source.sentence("could not be compacted or stored: " + e.getMessage())));
    }

    private JobResult fatal(RuntimeException e) {
        String hint = FailureClassifier.hint(e, uploader.profile());
        log.error("Job for {} failed in a way no retry can fix ({}); the worker stops. Hint: {}",
                item.source().name(), e.getMessage(), hint, e);
        // The loop reports the job's failure by its message when the worker stops: carry the hint there too.
        RuntimeException reported = new IllegalStateException(e.getMessage() + "; hint: " + hint, e);
        return JobResult.fatal(item, generation, reported);
    }

    private void logTransient(int attempt, Duration delay, RuntimeException e) {
        String message = "Attempt {} to store {} in storage profile '{}' failed ({}); retrying in {} ms";
        if (attempt >= LOUD_AFTER_ATTEMPTS) {
            log.error(message, attempt, item.source().name(), item.source().profile(), e.toString(),
                    delay.toMillis());
        } else {
            log.warn(message, attempt, item.source().name(), item.source().profile(), e.toString(),
                    delay.toMillis());
        }
    }
}
