package dev.fathom.producer.restore;

import static dev.fathom.producer.restore.SegmentUploads.PAGE;
import static dev.fathom.producer.restore.SegmentUploads.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.format.CompactedSegment;
import dev.fathom.schemas.format.PageIndex;
import dev.fathom.schemas.format.PageLocation;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.S3Server;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Ranged page reads, index and data fetches, the page cache and corruption handling against a real S3 API. */
class SegmentReaderIT {

    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final String NS = "reader-db";

    /** Pages 1..4 written once each, page 2 twice (its newest version, frame 14, is kept). */
    private static final SealedSegment SEGMENT = segment(10, 1_000, 4, 1, 2, 3, 2, 4);

    @Test
    void shouldReadEachPageWithARangedGetAndMatchTheCompactedSegment() {
        String bucket = S3.newBucket();
        StoredSegment stored = SegmentUploads.upload(S3, bucket, "p", NS, SEGMENT);
        SegmentReader reader = new SegmentReader(S3.client(), bucket, 16);

        PageIndex index = reader.fetchIndex(stored);
        CompactedSegment data = reader.fetchData(stored);

        assertEquals(SEGMENT.id(), index.id());
        assertEquals(SEGMENT.id(), data.id());
        assertEquals(4, index.pageCount());
        for (int pageNo = 1; pageNo <= 4; pageNo++) {
            byte[] page = reader.readPage(stored, pageNo).orElseThrow();
            assertArrayEquals(data.page(pageNo).orElseThrow(), page, "page " + pageNo);
            assertArrayEquals(SegmentUploads.pageAfter(List.of(SEGMENT), pageNo).orElseThrow(), page,
                    "page " + pageNo + " is its newest version in the segment");
        }
        assertEquals(Optional.empty(), reader.readPage(stored, 5), "a page the segment does not hold");
        byte[] copy = reader.readPage(stored, 1).orElseThrow();
        copy[0] ^= 1;
        assertArrayEquals(data.page(1).orElseThrow(), reader.readPage(stored, 1).orElseThrow(),
                "callers cannot change what the cache holds");
    }

    @Test
    void shouldKeepTheCacheWithinItsBoundAndEvictTheLeastRecentlyUsedPage() {
        String bucket = S3.newBucket();
        StoredSegment stored = SegmentUploads.upload(S3, bucket, "", NS, SEGMENT);
        SegmentReader reader = new SegmentReader(S3.client(), bucket, 3); // the index (1 page's worth) + 2 pages

        byte[] page1 = reader.readPage(stored, 1).orElseThrow();
        byte[] page2 = reader.readPage(stored, 2).orElseThrow();
        byte[] page3 = reader.readPage(stored, 3).orElseThrow(); // evicts page 1, the least recently used
        assertEquals(3, reader.cachedEntries());
        S3.client().deleteObject(b -> b.bucket(bucket).key(stored.dataKey()));

        assertArrayEquals(page3, reader.readPage(stored, 3).orElseThrow(), "page 3 is served from the cache");
        assertArrayEquals(page2, reader.readPage(stored, 2).orElseThrow(), "page 2 is served from the cache");
        RestoreException evicted = assertThrows(RestoreException.class, () -> reader.readPage(stored, 1));
        assertTrue(evicted.getMessage().contains("s3://" + bucket + "/" + stored.dataKey())
                && evicted.getMessage().contains("missing"), evicted.getMessage());
        assertEquals(PAGE, page1.length);
        assertTrue(reader.cachedEntries() <= 3, "entries cached: " + reader.cachedEntries());
    }

    @Test
    void shouldRefuseACorruptPageNamingTheObjectButStillReadTheOthers() {
        String bucket = S3.newBucket();
        StoredSegment stored = SegmentUploads.upload(S3, bucket, "p", NS, SEGMENT);
        SegmentReader reader = new SegmentReader(S3.client(), bucket, 0);
        PageLocation page2 = reader.fetchIndex(stored).locate(2).orElseThrow();
        byte[] data = S3.get(bucket, stored.dataKey());
        data[(int) page2.offset() + 100] ^= (byte) 0xFF;
        SegmentUploads.put(S3, bucket, stored.dataKey(), data);

        RestoreException e = assertThrows(RestoreException.class, () -> reader.readPage(stored, 2));

        assertTrue(e.getMessage().contains("s3://" + bucket + "/" + stored.dataKey())
                && e.getMessage().contains("CRC32C"), e.getMessage());
        assertEquals(Optional.of(1), reader.readPage(stored, 1).map(p -> ByteBuffer.wrap(p).getInt()),
                "page 1 is still read: a ranged read only checks the page it fetched");
        RestoreException whole = assertThrows(RestoreException.class, () -> reader.fetchData(stored));
        assertTrue(whole.getMessage().contains("s3://" + bucket + "/" + stored.dataKey()), whole.getMessage());
    }

    @Test
    void shouldRefuseACorruptOrMissingIndexNamingIt() {
        String bucket = S3.newBucket();
        StoredSegment stored = SegmentUploads.upload(S3, bucket, "p", NS, SEGMENT);
        byte[] index = S3.get(bucket, stored.indexKey());
        index[index.length - 10] ^= 1;
        SegmentUploads.put(S3, bucket, stored.indexKey(), index);
        SegmentReader reader = new SegmentReader(S3.client(), bucket, 16);

        RestoreException corrupt = assertThrows(RestoreException.class, () -> reader.readPage(stored, 1));
        assertTrue(corrupt.getMessage().contains("s3://" + bucket + "/" + stored.indexKey()), corrupt.getMessage());

        S3.client().deleteObject(b -> b.bucket(bucket).key(stored.indexKey()));
        RestoreException missing = assertThrows(RestoreException.class, () -> reader.fetchIndex(stored));
        assertTrue(missing.getMessage().contains("s3://" + bucket + "/" + stored.indexKey())
                && missing.getMessage().contains("missing"), missing.getMessage());
    }
}
