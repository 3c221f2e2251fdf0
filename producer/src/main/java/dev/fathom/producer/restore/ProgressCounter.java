package dev.fathom.producer.restore;

import java.util.function.Consumer;

/**
 * Adds up what the parallel segment copies of one restore have read and reports it: at most once per
 * {@link #REPORT_EVERY_BYTES} read, on every finished segment, and once at the start. Reports are made under this
 * object's lock, so the consumer sees one call at a time and non-decreasing values. Thread-safe.
 */
final class ProgressCounter {

    /** Bytes between two reports: often enough for a progress bar, rare enough to cost nothing. */
    static final long REPORT_EVERY_BYTES = 1 << 20;

    private final Consumer<RestoreProgress> consumer;
    private final int segmentsTotal;
    private final long bytesTotal;
    private int segmentsDone;
    private long bytesDone;
    private long bytesReported;

    ProgressCounter(Consumer<RestoreProgress> consumer, int segmentsTotal, long bytesTotal) {
        this.consumer = consumer;
        this.segmentsTotal = segmentsTotal;
        this.bytesTotal = bytesTotal;
    }

    /** Reports the starting point (nothing read yet). */
    synchronized void start() {
        report();
    }

    /** Records {@code bytes} more bytes read. */
    synchronized void addBytes(long bytes) {
        bytesDone += bytes;
        if (bytesDone - bytesReported >= REPORT_EVERY_BYTES) {
            report();
        }
    }

    /** Records one segment read to its end and verified. */
    synchronized void segmentDone() {
        segmentsDone++;
        report();
    }

    private void report() {
        bytesReported = bytesDone;
        consumer.accept(new RestoreProgress(segmentsDone, segmentsTotal, bytesDone, bytesTotal));
    }
}
