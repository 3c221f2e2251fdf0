package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.producer.restore.BucketSegmentCatalog;
import dev.fathom.producer.restore.DatabaseRestorer;
import dev.fathom.producer.restore.RestoreTarget;
import dev.fathom.producer.restore.SegmentChain;
import dev.fathom.producer.restore.StoredSegment;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.SqlWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.ToLongFunction;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Checks what an agent shipped of a live source database against the bucket (no prefix): the latest restore equals
 * a checkpointed copy of the source byte for byte, and the stored chain has no gap or overlap. Not thread-safe.
 *
 * @param s3 the bucket's client
 * @param bucket the bucket the worker uploads to
 * @param dir where restored files and source copies are written
 * @param timeout how long the latest restore may take to catch up with the source
 */
record SourceRestoreCheck(S3Client s3, String bucket, Path dir, Duration timeout) {

    /**
     * Waits until the latest restore of {@code namespace} equals a checkpointed copy of {@code source} (a restore is
     * tried each time the durable frame moves, and again on the next poll after a mismatch, since a checkpoint
     * running beside the copy can tear it), then checks integrity_check of the restored file. Call it while the
     * application does not write.
     */
    void awaitLatestEqualsSource(ToLongFunction<String> durableFrameNo, String namespace, SqlWorkload source)
            throws Exception {
        Path restored = dir.resolve(namespace + "-restored.db");
        Path expected = dir.resolve(namespace + "-expected.db");
        long[] tried = {-1};
        String[] last = {"nothing durable yet"};
        try {
            Await.until(timeout, () -> {
                long durable = durableFrameNo.applyAsLong(namespace);
                if (durable == 0 || durable == tried[0]) {
                    return false;
                }
                boolean equal = restoreEqualsCopy(namespace, source, restored, expected, last);
                tried[0] = equal ? durable : -1;
                return equal;
            }, "the latest restore of " + namespace + " to equal the source");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last try: " + last[0], e);
        }
        assertEquals("ok", SqlWorkload.integrityCheck(restored), "integrity_check of the restored " + namespace);
    }

    private boolean restoreEqualsCopy(String namespace, SqlWorkload source, Path restored, Path expected,
                                      String[] last) {
        try {
            new DatabaseRestorer().restore(s3, bucket, "", namespace, RestoreTarget.latest(), restored);
            source.checkpointedCopy(expected);
            // Compared as streams: databases larger than the test JVM's heap are compared too.
            long mismatch = Files.mismatch(expected, restored);
            last[0] = "restored " + Files.size(restored) + " bytes, source " + Files.size(expected)
                    + (mismatch < 0 ? "" : ", first difference at byte " + mismatch);
            return mismatch < 0;
        } catch (Exception e) {
            throw new IllegalStateException("Could not restore " + namespace + " or copy its source", e);
        }
    }

    /** Asserts that {@code namespace} has more than one stored segment and no gap or overlap between them. */
    void assertContiguous(String namespace) {
        List<StoredSegment> segments = segments(namespace);
        assertTrue(segments.size() > 1, "segments of " + namespace + ": " + segments.size());
        assertEquals(List.of(), SegmentChain.problems(namespace, segments), "gaps or overlaps of " + namespace);
    }

    /** Returns the stored segments of {@code namespace}, oldest first. */
    List<StoredSegment> segments(String namespace) {
        return new BucketSegmentCatalog(s3, bucket, "").segments(namespace);
    }
}
