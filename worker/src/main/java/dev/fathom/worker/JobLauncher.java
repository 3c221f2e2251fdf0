package dev.fathom.worker;

import java.util.function.Consumer;

/**
 * Creates the {@link SegmentJob} of a segment that passed every check, wired to the worker's retry backoff and
 * completion queue. Thread-safe (immutable).
 */
final class JobLauncher {

    private final Backoff backoff;
    private final Consumer<JobResult> completions;
    private final WorkerMetrics metrics;

    JobLauncher(Backoff backoff, Consumer<JobResult> completions, WorkerMetrics metrics) {
        this.backoff = backoff;
        this.completions = completions;
        this.metrics = metrics;
    }

    SegmentJob job(AssembledSegment segment, long generation, SegmentUploader uploader) {
        return new SegmentJob(segment, generation, uploader, backoff, completions, metrics);
    }
}
