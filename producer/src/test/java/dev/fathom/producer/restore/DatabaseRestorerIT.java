package dev.fathom.producer.restore;

import static dev.fathom.producer.restore.SegmentUploads.PAGE;
import static dev.fathom.producer.restore.SegmentUploads.put;
import static dev.fathom.producer.restore.SegmentUploads.replay;
import static dev.fathom.producer.restore.SegmentUploads.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.format.CompactedSegmentObjects;
import dev.fathom.schemas.format.CompactedSegmentWriter;
import dev.fathom.schemas.format.ObjectKeys;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The restorer and the bucket catalog against a real S3 API, with compacted objects written by the schemas writer;
 * expected files are computed by replaying the frames in order. The memory bound of streaming is proven by
 * {@code DatabaseRestorerMemoryIT}.
 */
class DatabaseRestorerIT {

    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final String PREFIX = "tenants";

    @TempDir
    Path dir;

    private final DatabaseRestorer restorer = new DatabaseRestorer();

    private static void upload(String bucket, SealedSegment segment, boolean withIndex) {
        CompactedSegmentObjects objects = CompactedSegmentWriter.write(segment);
        put(S3, bucket, ObjectKeys.dataKey(PREFIX, "db", segment.id()), objects.data());
        if (withIndex) {
            put(S3, bucket, ObjectKeys.indexKey(PREFIX, "db", segment.id()), objects.index());
        }
    }

    private RestoreResult restore(String bucket, RestoreTarget target, Path file) {
        return restorer.restore(S3.client(), bucket, PREFIX, "db", target, file);
    }

    @Test
    void shouldRestoreFromTheNewestVersionOfEachPageAndTruncateToSizeAfter() throws Exception {
        String bucket = S3.newBucket();
        List<SealedSegment> chain = List.of(segment(1, 1000, 4, 1, 2, 3, 4), segment(5, 2000, 6, 2, 5, 6, 2),
                segment(9, 3000, 3, 1, 3)); // the last commit shrinks the database to 3 pages
        chain.forEach(s -> upload(bucket, s, true));
        Path file = dir.resolve("db.sqlite");
        Files.writeString(file, "an older restore");

        RestoreResult latest = restore(bucket, RestoreTarget.latest(), file);
        assertArrayEquals(replay(chain), Files.readAllBytes(file), "latest");
        assertEquals(3, latest.pagesWritten());
        assertEquals(2, latest.segmentsRead(), "pages 1 and 3 come from the last segment, page 2 from the second");
        assertEquals(10, latest.endFrameNo());

        restore(bucket, RestoreTarget.atFrame(9), file);
        assertArrayEquals(replay(chain.subList(0, 2)), Files.readAllBytes(file), "at frame 9");
        RestoreResult first = restore(bucket, RestoreTarget.atFrame(4), file);
        assertArrayEquals(replay(chain.subList(0, 1)), Files.readAllBytes(file), "at frame 4");
        assertEquals(1, first.segmentsRead());
    }

    @Test
    void shouldStopReadingOnceEveryPageIsFilled() throws Exception {
        String bucket = S3.newBucket();
        List<SealedSegment> chain = List.of(segment(1, 1000, 2, 1, 2), segment(3, 2000, 2, 1, 2),
                segment(5, 3000, 2, 2, 1));
        chain.forEach(s -> upload(bucket, s, true));
        RestoreResult result = restore(bucket, RestoreTarget.latest(), dir.resolve("db"));
        assertEquals(1, result.segmentsRead());
        assertArrayEquals(replay(chain), Files.readAllBytes(dir.resolve("db")));
    }

    @Test
    void shouldRefuseWhenPagesAreMissingAfterFrameOneAndKeepTheOldTarget() throws Exception {
        String bucket = S3.newBucket();
        upload(bucket, segment(1, 1000, 3, 1, 3), true); // page 2 never written
        Path file = dir.resolve("db");
        Files.writeString(file, "previous");
        RestoreException e = assertThrows(RestoreException.class, () -> restore(bucket, RestoreTarget.latest(), file));
        assertTrue(e.getMessage().contains("'db'") && e.getMessage().contains("first missing page 2"),
                e.getMessage());
        assertEquals("previous", Files.readString(file), "the target is untouched");
        assertEquals(List.of(file), listDir(), "no temp file left");
    }

    @Test
    void shouldNotTakeAPageFromBeforeATruncationBelowIt() {
        String bucket = S3.newBucket();
        upload(bucket, segment(1, 1000, 3, 1, 2, 3), true);
        upload(bucket, segment(4, 2000, 1, 1), true); // truncated to 1 page: the old page 3 is gone
        upload(bucket, segment(5, 3000, 3, 1, 2), true); // grows to 3 pages without writing page 3 (never by SQLite)
        RestoreException e = assertThrows(RestoreException.class,
                () -> restore(bucket, RestoreTarget.latest(), dir.resolve("db")));
        assertTrue(e.getMessage().contains("first missing page 3"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("db")));
    }

    @Test
    void shouldNameTheMissingFramesOfAGapInTheBucket() {
        String bucket = S3.newBucket();
        upload(bucket, segment(1, 1000, 1, 1, 1), true);
        upload(bucket, segment(5, 2000, 1, 1), true);
        RestoreException e = assertThrows(RestoreException.class,
                () -> restore(bucket, RestoreTarget.latest(), dir.resolve("db")));
        assertTrue(e.getMessage().contains("missing frames 3..4") && e.getMessage().contains("'db'"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("db")));
    }

    @Test
    void shouldIgnoreASegmentWhoseIndexIsNotWrittenYet() throws Exception {
        String bucket = S3.newBucket();
        SealedSegment stored = segment(1, 1000, 1, 1);
        upload(bucket, stored, true);
        upload(bucket, segment(2, 2000, 1, 1), false);
        RestoreResult result = restore(bucket, RestoreTarget.latest(), dir.resolve("db"));
        assertEquals(stored.id(), result.segmentId());
    }

    @Test
    void shouldListMoreThanOnePageOfObjects() throws Exception {
        String bucket = S3.newBucket();
        List<SealedSegment> chain = new ArrayList<>();
        for (int i = 0; i < 600; i++) { // 1 200 objects: more than one ListObjectsV2 page of 1 000
            chain.add(segment(i + 1, 1000L + i, 2, 1 + i % 2));
        }
        chain.forEach(s -> upload(bucket, s, true));
        assertEquals(600, new BucketSegmentCatalog(S3.client(), bucket, PREFIX).segments("db").size());
        RestoreResult result = restore(bucket, RestoreTarget.latest(), dir.resolve("db"));
        assertEquals(600, result.endFrameNo());
        assertArrayEquals(replay(chain), Files.readAllBytes(dir.resolve("db")));
    }

    private List<Path> listDir() throws Exception {
        try (var files = Files.list(dir)) {
            return files.toList();
        }
    }

    /** Seeded segments over pages 1..40 with overwrites, growth and shrinking, contiguous from frame 1. */
    private static List<SealedSegment> randomChain(long seed, int count) {
        Random random = new Random(seed);
        List<SealedSegment> chain = new ArrayList<>();
        long frameNo = 1;
        int size = 0;
        for (int s = 0; s < count; s++) {
            int next = s == 0 ? 30 : Math.max(1, Math.min(40, size + random.nextInt(13) - 6));
            List<Integer> pages = new ArrayList<>();
            for (int p = size + 1; p <= next; p++) {
                pages.add(p); // SQLite writes every page a commit adds
            }
            for (int i = 1 + random.nextInt(12); i > 0; i--) {
                pages.add(1 + random.nextInt(next));
            }
            Collections.shuffle(pages, random);
            SealedSegment segment = segment(frameNo, 1000L * (s + 1), next,
                    pages.stream().mapToInt(Integer::intValue).toArray());
            chain.add(segment);
            frameNo = segment.endFrameNo() + 1;
            size = next;
        }
        return chain;
    }

    private DatabaseRestorer restorer(String bucket, int parallelism) {
        return new DatabaseRestorer(S3.client(), bucket, parallelism);
    }

    private static List<StoredSegment> catalog(String bucket) {
        return new BucketSegmentCatalog(S3.client(), bucket, PREFIX).segments("db");
    }

    @Test
    void shouldRestoreTheSameFileWithOneOrManyParallelFetches() throws Exception {
        String bucket = S3.newBucket();
        List<SealedSegment> chain = randomChain(7, 25);
        chain.forEach(s -> upload(bucket, s, true));
        List<StoredSegment> catalog = catalog(bucket);
        Collections.shuffle(catalog, new Random(3)); // any order: the restorer resolves the chain itself
        for (long end : new long[] {chain.get(24).endFrameNo(), chain.get(12).endFrameNo(), chain.get(0).endFrameNo()}) {
            Path sequential = dir.resolve("sequential-" + end);
            Path parallel = dir.resolve("parallel-" + end);
            RestoreResult one = restorer(bucket, 1).restore("db", catalog, RestoreTarget.atFrame(end), sequential,
                    p -> { });
            RestoreResult many = restorer(bucket, 4).restore("db", catalog, RestoreTarget.atFrame(end), parallel,
                    p -> { });
            List<SealedSegment> prefix = chain.stream().filter(s -> s.endFrameNo() <= end).toList();
            assertArrayEquals(replay(prefix), Files.readAllBytes(sequential), "sequential, at frame " + end);
            assertArrayEquals(Files.readAllBytes(sequential), Files.readAllBytes(parallel), "parallel, at frame " + end);
            assertEquals(one.segmentsRead(), many.segmentsRead());
            assertEquals(one.pagesWritten(), many.pagesWritten());
            assertEquals(prefix.get(prefix.size() - 1).sizeAfter(), many.pagesWritten());
        }
    }

    @Test
    void shouldRefuseACorruptPageInAnOlderOwningSegmentNamingItsKeyAndLeaveNoFile() throws Exception {
        String bucket = S3.newBucket();
        List<SealedSegment> chain = List.of(segment(1, 1000, 4, 1, 2, 3, 4), segment(5, 2000, 4, 2, 3),
                segment(7, 3000, 4, 1));
        chain.forEach(s -> upload(bucket, s, true));
        // Page 4 comes from the oldest segment only: corrupt one byte of its page bytes (record 3).
        String key = ObjectKeys.dataKey(PREFIX, "db", chain.get(0).id());
        byte[] data = S3.get(bucket, key);
        data[52 + 3 * (16 + PAGE) + 16 + 100] ^= 0x40;
        put(S3, bucket, key, data);
        Path file = dir.resolve("db");
        List<RestoreProgress> seen = Collections.synchronizedList(new ArrayList<>());

        RestoreException e = assertThrows(RestoreException.class,
                () -> restorer(bucket, 3).restore("db", catalog(bucket), RestoreTarget.latest(), file, seen::add));
        assertTrue(e.getMessage().contains("s3://" + bucket + "/" + key)
                && e.getMessage().contains("page CRC32C mismatch in page record 3 (page_no 4)")
                && e.getMessage().contains("(at byte offset " + (52 + 3 * (16 + PAGE) + 12) + ")"), e.getMessage());
        assertFalse(Files.exists(file), "no restored file");
        assertEquals(List.of(), listDir(), "no temp file left");
        assertFalse(seen.isEmpty() || seen.get(seen.size() - 1).isComplete(), "progress never completes: " + seen);
    }

    @Test
    void shouldNameAMissingSegmentObjectOfTheCatalogAndKeepTheOldTarget() throws Exception {
        String bucket = S3.newBucket();
        List<SealedSegment> chain = List.of(segment(1, 1000, 2, 1, 2), segment(3, 2000, 2, 2));
        chain.forEach(s -> upload(bucket, s, true));
        List<StoredSegment> catalog = catalog(bucket);
        String key = ObjectKeys.dataKey(PREFIX, "db", chain.get(0).id());
        S3.client().deleteObject(b -> b.bucket(bucket).key(key));
        Path file = dir.resolve("db");
        Files.writeString(file, "previous");
        RestoreException e = assertThrows(RestoreException.class,
                () -> restorer(bucket, 2).restore("db", catalog, RestoreTarget.latest(), file, p -> { }));
        assertTrue(e.getMessage().startsWith("Could not fetch segment s3://" + bucket + "/" + key), e.getMessage());
        assertTrue(e.getCause() instanceof S3Exception, String.valueOf(e.getCause()));
        assertEquals("previous", Files.readString(file));
        assertEquals(List.of(file), listDir());
    }

    @Test
    void shouldRefuseASegmentObjectThatDoesNotMatchItsIndex() {
        String bucket = S3.newBucket();
        SealedSegment first = segment(1, 1000, 2, 1, 2);
        SealedSegment second = segment(3, 2000, 2, 2);
        upload(bucket, first, true);
        upload(bucket, second, true);
        // The newest key holds the bytes of another segment (same page size, valid checksums).
        SealedSegment other = segment(3, 2500, 2, 2);
        String key = ObjectKeys.dataKey(PREFIX, "db", second.id());
        put(S3, bucket, key, CompactedSegmentWriter.write(other).data());
        RestoreException e = assertThrows(RestoreException.class,
                () -> restorer(bucket, 2).restore("db", catalog(bucket), RestoreTarget.latest(), dir.resolve("db"),
                        p -> { }));
        assertTrue(e.getMessage().startsWith("Segment s3://" + bucket + "/" + key + " does not match its page index"),
                e.getMessage());
        assertFalse(Files.exists(dir.resolve("db")));
    }
}
