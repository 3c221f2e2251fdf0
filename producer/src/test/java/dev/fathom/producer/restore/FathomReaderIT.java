package dev.fathom.producer.restore;

import static dev.fathom.producer.restore.SegmentUploads.PAGE;
import static dev.fathom.producer.restore.SegmentUploads.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.producer.FathomStorageConfig;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.schemas.format.SegmentId;
import dev.fathom.testkit.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read path built from a FathomStorageConfig with no Kafka anywhere (bootstrap.servers points at nothing):
 * listing, finding, page reads through truncation and regrowth, and their agreement with a restore to the same frame.
 */
class FathomReaderIT {

    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final String NS = "reader-db";
    private static final String PREFIX = "nodes/a";

    /** 4 pages; grows to 6; shrinks to 3 (pages 4..6 gone); grows again to 5 writing pages 4 and 5 afresh. */
    private static final List<SealedSegment> CHAIN = List.of(segment(1, 1000, 4, 1, 2, 3, 4),
            segment(5, 2000, 6, 2, 5, 6, 2), segment(9, 3000, 3, 1, 3), segment(11, 4000, 5, 4, 5, 1));

    @TempDir
    Path dir;

    private static Map<String, Object> config(String bucket) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", "127.0.0.1:1"); // nothing listens: the read path never asks Kafka
        props.put("node.id", "reader-test");
        props.put("storage.profiles", "default");
        props.put("storage.profile.default.bucket", bucket);
        props.put("storage.profile.default.prefix", PREFIX);
        props.put("storage.profile.default.endpoint", S3.endpoint().toString());
        props.put("storage.profile.default.region", S3.region());
        props.put("storage.profile.default.path.style", "true");
        props.put("storage.profile.default.access.key", S3.accessKey());
        props.put("storage.profile.default.secret.key", S3.secretKey());
        props.put("page.cache.max.pages", "8");
        return props;
    }

    private static FathomReader reader(String bucket, List<SealedSegment> chain) {
        chain.forEach(s -> SegmentUploads.upload(S3, bucket, PREFIX, NS, s));
        return FathomReader.fromConfig(new FathomStorageConfig(config(bucket)));
    }

    @Test
    void shouldReadEveryPageAsARestoreToTheSameFrameWritesIt() throws Exception {
        try (FathomReader reader = reader(S3.newBucket(), CHAIN)) {
            for (long frame = 1; frame <= 14; frame++) {
                int boundary = boundaryAt(frame);
                Optional<Path> restored = Optional.empty();
                if (boundary >= 0) {
                    Path file = dir.resolve("at-" + frame + ".db");
                    reader.restore(file, NS, RestoreTarget.atFrame(frame), "default");
                    restored = Optional.of(file);
                }
                for (int pageNo = 1; pageNo <= 7; pageNo++) {
                    Optional<byte[]> expected = boundary < 0 ? Optional.empty()
                            : SegmentUploads.pageAfter(CHAIN.subList(0, boundary + 1), pageNo);
                    Optional<byte[]> actual = reader.readPage(NS, pageNo, frame, "default");
                    String what = "page " + pageNo + " at frame " + frame;
                    assertEquals(expected.isPresent(), actual.isPresent(), what);
                    if (expected.isPresent()) {
                        assertArrayEquals(expected.get(), actual.get(), what);
                        assertArrayEquals(pageOf(restored.orElseThrow(), pageNo), actual.get(), what + " vs restore");
                    }
                }
            }
        }
    }

    /** Index in CHAIN of the newest segment ending at or before {@code frame}, -1 for none. */
    private static int boundaryAt(long frame) {
        int found = -1;
        for (int i = 0; i < CHAIN.size(); i++) {
            if (CHAIN.get(i).endFrameNo() <= frame) {
                found = i;
            }
        }
        return found;
    }

    private static byte[] pageOf(Path file, int pageNo) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        return Arrays.copyOfRange(bytes, (pageNo - 1) * PAGE, pageNo * PAGE);
    }

    @Test
    void shouldListNewestFirstAndFindByFrameAndTime() {
        try (FathomReader reader = reader(S3.newBucket(), CHAIN)) {
            List<SegmentId> all = CHAIN.stream().map(SealedSegment::id).toList();

            assertEquals(List.of(all.get(3), all.get(2), all.get(1), all.get(0)),
                    reader.listSegments(NS, RestoreTarget.latest(), "default").map(StoredSegment::id).toList());
            assertEquals(List.of(all.get(1), all.get(0)),
                    reader.listSegments(NS, RestoreTarget.atFrame(9), "default").map(StoredSegment::id).toList());
            assertEquals(Optional.of(all.get(2)), reader.findSegment(NS,
                    RestoreTarget.atTime(Instant.ofEpochMilli(3500)), "default").map(StoredSegment::id));
            assertEquals(Optional.empty(), reader.findSegment(NS, RestoreTarget.atFrame(3), "default"));
            StoredSegment newest = reader.findSegment(NS, RestoreTarget.latest(), "default").orElseThrow();
            assertEquals(5, reader.fetchSegmentIndex(NS, newest, "default").sizeAfter());
            assertEquals(3, reader.fetchSegmentData(NS, newest, "default").pageCount());
        }
    }

    @Test
    void shouldReadTheCatalogOnlyWhenTheListIsConsumed() {
        String bucket = S3.newBucket();
        try (FathomReader reader = reader(bucket, CHAIN.subList(0, 1))) {
            var lazy = reader.listSegments(NS, RestoreTarget.latest(), "default");
            SegmentUploads.upload(S3, bucket, PREFIX, NS, CHAIN.get(1));
            assertEquals(2, lazy.count(), "the segment stored after listSegments() returned is listed");
        }
    }

    @Test
    void shouldSeeSegmentsStoredAfterItFirstLookedAtTheNamespace() {
        String bucket = S3.newBucket();
        try (FathomReader reader = reader(bucket, CHAIN.subList(0, 2))) {
            assertArrayEquals(SegmentUploads.pageAfter(CHAIN.subList(0, 2), 1).orElseThrow(),
                    reader.readPage(NS, 1, 100, "default").orElseThrow());
            SegmentUploads.upload(S3, bucket, PREFIX, NS, CHAIN.get(2));
            SegmentUploads.upload(S3, bucket, PREFIX, NS, CHAIN.get(3));

            assertArrayEquals(SegmentUploads.pageAfter(CHAIN, 1).orElseThrow(),
                    reader.readPage(NS, 1, 100, "default").orElseThrow(), "page 1 as rewritten by the 4th segment");
            assertEquals(Optional.of(CHAIN.get(2).id()),
                    reader.findSegment(NS, RestoreTarget.atFrame(10), "default").map(StoredSegment::id));
            assertEquals(4, reader.listSegments(NS, RestoreTarget.latest(), "default").count());
            assertEquals(Optional.empty(), reader.readPage(NS, 6, 10, "default"), "truncated at frame 10");
        }
    }

    @Test
    void shouldRefuseAPageThatNoSegmentSinceItsTruncationHolds() {
        // Grows back to 5 pages after shrinking to 3, but only page 5 is written again: page 4's last version is stale.
        List<SealedSegment> lossy = List.of(CHAIN.get(0), CHAIN.get(1), CHAIN.get(2), segment(11, 4000, 5, 5));
        try (FathomReader reader = reader(S3.newBucket(), lossy)) {
            RestoreException e = assertThrows(RestoreException.class, () -> reader.readPage(NS, 4, 11, "default"));
            assertTrue(e.getMessage().contains("Page 4") && e.getMessage().contains(NS), e.getMessage());
            assertEquals(Optional.empty(), reader.readPage(NS, 4, 10, "default"), "page 4 did not exist at frame 10");
        }
    }

    @Test
    void shouldNameTheConfiguredProfilesForAnUnknownOne() {
        try (FathomReader reader = reader(S3.newBucket(), CHAIN)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> reader.readPage(NS, 1, 10, "archive"));
            assertTrue(e.getMessage().contains("'archive'") && e.getMessage().contains("[default]"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> reader.readPage(NS, 0, 10, "default"));
        }
    }
}
