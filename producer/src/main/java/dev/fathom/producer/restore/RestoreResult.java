package dev.fathom.producer.restore;

import dev.fathom.schemas.format.SegmentId;
import java.time.Duration;

/**
 * What a restore produced. Immutable, thread-safe.
 *
 * @param namespace      the restored namespace
 * @param segmentId      the segment the database was restored to
 * @param endFrameNo     its end frame number
 * @param pagesWritten   pages written to the file (its size in pages)
 * @param segmentsRead   segment ({@code .seg}) objects fetched: those holding a page of the restored state
 * @param bytesFetched   bytes fetched from object storage (segment and page index objects)
 * @param duration       wall time of the restore
 * @param indexesRead    page index ({@code .idx}) objects fetched to decide which segment holds which page
 * @param phases         wall time of each phase of {@code duration}
 */
public record RestoreResult(String namespace, SegmentId segmentId, long endFrameNo, int pagesWritten,
                            int segmentsRead, long bytesFetched, Duration duration, int indexesRead,
                            Phases phases) {

    /**
     * Wall time of a restore's phases. Planning and copying overlap (a segment's copy starts as soon as its pages are
     * planned), so they may add up to more than the restore took. Immutable, thread-safe.
     *
     * @param plan  from the first page index fetch until every page had a segment
     * @param copy  from the first segment copy started until the last one ended, all verified
     * @param fsync flushing the restored file to the disk
     */
    public record Phases(Duration plan, Duration copy, Duration fsync) {
    }
}
