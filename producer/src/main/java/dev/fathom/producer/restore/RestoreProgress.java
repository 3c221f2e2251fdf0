package dev.fathom.producer.restore;

/**
 * How far a restore's data phase is: compacted segment objects fully copied and bytes of them read, out of the
 * objects the restore fetches (only segments that hold a page of the target state). Reported to a
 * {@code Consumer<RestoreProgress>} one call at a time, with every field non-decreasing from one call to the next;
 * the last call of a successful restore has {@code segmentsDone == segmentsTotal} and
 * {@code bytesDone == bytesTotal}. Immutable, thread-safe.
 *
 * @param segmentsDone  segment objects read to the end and verified
 * @param segmentsTotal segment objects the restore fetches
 * @param bytesDone     bytes of those objects read so far
 * @param bytesTotal    total size in bytes of those objects
 */
public record RestoreProgress(int segmentsDone, int segmentsTotal, long bytesDone, long bytesTotal) {

    /** Returns the fraction of bytes read, 0..1 (1 when there is nothing to read). */
    public double fraction() {
        return bytesTotal == 0 ? 1.0 : (double) bytesDone / bytesTotal;
    }

    /** Returns whether every segment object has been read and verified. */
    public boolean isComplete() {
        return segmentsDone == segmentsTotal && bytesDone == bytesTotal;
    }
}
