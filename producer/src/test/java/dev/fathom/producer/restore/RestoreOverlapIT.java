package dev.fathom.producer.restore;

import static dev.fathom.producer.restore.SegmentUploads.PAGE;
import static dev.fathom.producer.restore.SegmentUploads.put;
import static dev.fathom.producer.restore.SegmentUploads.replay;
import static dev.fathom.producer.restore.SegmentUploads.segment;
import static dev.fathom.producer.restore.SegmentUploads.upload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.format.ObjectKeys;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restorer while planning and copying overlap, against a real S3 API: progress reports never look complete too
 * early, failures found by planning after copies started still win and leave no file, runs of adjacent pages written
 * together stay byte-identical, and the phase timings are reported. The rest of the restorer's behaviour is in {@code DatabaseRestorerIT}.
 */
class RestoreOverlapIT {

    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final String PREFIX = "tenants";

    @TempDir
    Path dir;

    @Test
    void shouldReportProgressUpToTheTotalOneCallAtATimeNeverGoingBack() throws Exception {
        String bucket = S3.newBucket();
        List<SealedSegment> chain = new ArrayList<>();
        long frameNo = 1;
        for (int s = 0; s < 6; s++) { // each segment rewrites its own 2 500 pages: all six own pages
            int[] pages = new int[2500];
            for (int i = 0; i < pages.length; i++) {
                pages[i] = s * 2500 + i + 1;
            }
            SealedSegment segment = segment(frameNo, 1000L + s, (s + 1) * 2500, pages);
            chain.add(segment);
            frameNo = segment.endFrameNo() + 1;
        }
        chain.forEach(s -> upload(S3, bucket, PREFIX, "db", s));
        List<RestoreProgress> seen = Collections.synchronizedList(new ArrayList<>());
        RestoreResult result = new DatabaseRestorer(S3.client(), bucket, 3).restore("db", catalog(bucket), RestoreTarget.latest(),
                dir.resolve("db"), seen::add);

        assertArrayEquals(replay(chain), Files.readAllBytes(dir.resolve("db")));
        long dataBytes = catalog(bucket).stream().mapToLong(StoredSegment::dataSize).sum();
        RestoreProgress last = seen.get(seen.size() - 1);
        assertEquals(new RestoreProgress(6, 6, dataBytes, dataBytes), last);
        assertTrue(last.isComplete());
        // Copies start while planning runs, so the first report (once the totals are known) may count bytes already
        // read; every report carries the final totals, so none can look complete too early.
        for (RestoreProgress report : seen) {
            assertEquals(6, report.segmentsTotal(), report.toString());
            assertEquals(dataBytes, report.bytesTotal(), report.toString());
        }
        assertEquals(1, seen.stream().filter(RestoreProgress::isComplete).count(), "complete once: " + seen);
        for (int i = 1; i < seen.size(); i++) {
            RestoreProgress before = seen.get(i - 1);
            RestoreProgress after = seen.get(i);
            assertTrue(after.segmentsDone() >= before.segmentsDone() && after.bytesDone() >= before.bytesDone(),
                    before + " then " + after);
        }
        assertEquals(6, result.segmentsRead());
        assertEquals(6, result.indexesRead());
        assertEquals(15000, result.pagesWritten());
        assertTrue(result.bytesFetched() > dataBytes, "indexes are counted too");
    }

    @Test
    void shouldReportALaterIndexFailureWhileEarlierCopiesRunAndKeepTheOldTarget() throws Exception {
        String bucket = S3.newBucket();
        List<SealedSegment> chain = new ArrayList<>();
        for (int s = 0; s < 30; s++) { // each segment adds 10 pages: every one is copied
            int[] pages = new int[10];
            for (int i = 0; i < pages.length; i++) {
                pages[i] = s * 10 + i + 1;
            }
            chain.add(segment(s * 10 + 1, 1000L + s, (s + 1) * 10, pages));
        }
        chain.forEach(s -> upload(S3, bucket, PREFIX, "db", s));
        List<StoredSegment> catalog = catalog(bucket);
        // The oldest index is read last, after the copies of all 29 newer segments were handed to the copy pool.
        String key = ObjectKeys.indexKey(PREFIX, "db", chain.get(0).id());
        byte[] index = S3.get(bucket, key);
        index[index.length - 1] ^= 0x01;
        put(S3, bucket, key, index);
        Path file = dir.resolve("db");
        Files.writeString(file, "previous");
        List<RestoreProgress> seen = Collections.synchronizedList(new ArrayList<>());

        RestoreException e = assertThrows(RestoreException.class,
                () -> new DatabaseRestorer(S3.client(), bucket, 2).restore("db", catalog, RestoreTarget.latest(), file, seen::add));
        assertTrue(e.getMessage().startsWith("Corrupt page index s3://" + bucket + "/" + key), e.getMessage());
        assertEquals("previous", Files.readString(file), "the target is untouched");
        assertEquals(List.of(file), listDir(), "no temp file left");
        assertEquals(List.of(), seen, "no totals were ever known");
    }

    @Test
    void shouldReportPagesMissingAfterFrameOneWhileCopiesRun() throws Exception {
        String bucket = S3.newBucket();
        List<SealedSegment> chain = List.of(segment(1, 1000, 6, 1, 3, 4, 5, 6), segment(6, 2000, 6, 4, 5, 6),
                segment(9, 3000, 6, 5, 6)); // page 2 is never written
        chain.forEach(s -> upload(S3, bucket, PREFIX, "db", s));
        Path file = dir.resolve("db");
        Files.writeString(file, "previous");
        RestoreException e = assertThrows(RestoreException.class,
                () -> new DatabaseRestorer(S3.client(), bucket, 2).restore("db", catalog(bucket), RestoreTarget.latest(), file, p -> { }));
        assertTrue(e.getMessage().contains("missing 1 of 6 pages") && e.getMessage().contains("first missing page 2"),
                e.getMessage());
        assertEquals("previous", Files.readString(file));
        assertEquals(List.of(file), listDir());
    }

    @Test
    void shouldWriteRunsOfAdjacentPagesAroundPagesOwnedElsewhereByteForByte() throws Exception {
        String bucket = S3.newBucket();
        int size = 3000; // 1.5 MiB of 512-byte pages: runs longer than one write buffer
        int[] base = new int[size];
        for (int i = 0; i < size; i++) {
            base[i] = i + 1;
        }
        List<Integer> rewritten = new ArrayList<>();
        for (int p = 3; p < 600; p += 3) {
            rewritten.add(p); // the base segment keeps runs of two pages here
        }
        for (int p = 1200; p <= 2400; p++) {
            rewritten.add(p); // a run of 1201 pages, more than two buffers; the base keeps 600..1199 and 2401..2998
        }
        rewritten.add(2999);
        SealedSegment first = segment(1, 1000, size, base);
        SealedSegment second = segment(first.endFrameNo() + 1, 2000, size,
                rewritten.stream().mapToInt(Integer::intValue).toArray());
        assertTrue((2400 - 1200 + 1) * PAGE > 2 * PageCopier.WRITE_BUFFER_BYTES);
        List<SealedSegment> chain = List.of(first, second);
        chain.forEach(s -> upload(S3, bucket, PREFIX, "db", s));
        for (int parallelism : new int[] {1, 3}) {
            Path file = dir.resolve("db-" + parallelism);
            RestoreResult result = new DatabaseRestorer(S3.client(), bucket, parallelism).restore("db", catalog(bucket),
                    RestoreTarget.latest(), file, p -> { });
            assertArrayEquals(replay(chain), Files.readAllBytes(file), "parallelism " + parallelism);
            assertEquals(2, result.segmentsRead());
        }
    }

    @Test
    void shouldReportHowLongEachPhaseTook() {
        String bucket = S3.newBucket();
        List.of(segment(1, 1000, 2, 1, 2), segment(3, 2000, 2, 2)).forEach(s -> upload(S3, bucket, PREFIX, "db", s));
        RestoreResult result = new DatabaseRestorer(S3.client(), bucket, 2).restore("db", catalog(bucket), RestoreTarget.latest(),
                dir.resolve("db"), p -> { });
        RestoreResult.Phases phases = result.phases();
        for (Duration phase : List.of(phases.plan(), phases.copy(), phases.fsync())) {
            assertFalse(phase.isNegative(), phases.toString());
            assertTrue(phase.compareTo(result.duration()) <= 0, phases + " within " + result.duration());
        }
    }

    private static List<StoredSegment> catalog(String bucket) {
        return new BucketSegmentCatalog(S3.client(), bucket, PREFIX).segments("db");
    }

    private List<Path> listDir() throws Exception {
        try (var files = Files.list(dir)) {
            return files.toList();
        }
    }
}
