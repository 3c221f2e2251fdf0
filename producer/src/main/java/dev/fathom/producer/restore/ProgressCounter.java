package dev.fathom.producer.restore;

import java.util.function.Consumer;

/**
 * Adds up what the parallel segment copies of one restore have read and reports it. Copies start while planning
 * still runs, when the totals are not known yet; reporting partial totals could show a restore as complete (done
 * equal to total) before it is, so nothing is reported until {@link #planned} gives the totals. From then on it
 * reports at most once per {@link #REPORT_EVERY_BYTES} read, on every finished segment, and once when planned (with
 * what was already read). Reports are made under this object's lock, so the consumer sees one call at a time and
 * non-decreasing values, every one with the final totals. Thread-safe.
 */
final class ProgressCounter {

    /** Bytes between two reports: often enough for a progress bar, rare enough to cost nothing. */
    static final long REPORT_EVERY_BYTES = 1 << 20;

    private final Consumer<RestoreProgress> consumer;
    private boolean planned;
    private int segmentsTotal;
    private long bytesTotal;
    private int segmentsDone;
    private long bytesDone;
    private long bytesReported;

    ProgressCounter(Consumer<RestoreProgress> consumer) {
        this.consumer = consumer;
    }

    /** Sets the totals, known once planning ended, and reports how far the copies already are. */
    synchronized void planned(int segments, long bytes) {
        segmentsTotal = segments;
        bytesTotal = bytes;
        planned = true;
        report();
    }

    /** Records {@code bytes} more bytes read. */
    synchronized void addBytes(long bytes) {
        bytesDone += bytes;
        if (planned && bytesDone - bytesReported >= REPORT_EVERY_BYTES) {
            report();
        }
    }

    /** Records one segment read to its end and verified. */
    synchronized void segmentDone() {
        segmentsDone++;
        if (planned) {
            report();
        }
    }

    private void report() {
        bytesReported = bytesDone;
        consumer.accept(new RestoreProgress(segmentsDone, segmentsTotal, bytesDone, bytesTotal));
    }
}
