package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fathom.schemas.format.CompactedSegment;
import dev.fathom.schemas.format.Frame;
import dev.fathom.schemas.format.ObjectKeys;
import dev.fathom.schemas.format.PageIndex;
import dev.fathom.schemas.format.PageLocation;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.S3Server;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Asserts that a segment's {@code .seg} and {@code .idx} objects in a bucket decode and hold, page by page, the newest
 * version of each page up to the segment's size_after, as computed from the input frames by
 * {@link WorkerFixture#newestFrames}. Stateless.
 */
final class StoredSegmentCheck {

    private StoredSegmentCheck() {
    }

    /** Checks the objects of {@code segment} of {@code namespace} under {@code prefix}; returns the data size. */
    static long assertStoredCompacted(S3Server s3, String bucket, String prefix, String namespace,
                                      SealedSegment segment) {
        String dataKey = ObjectKeys.dataKey(prefix, namespace, segment.id());
        String indexKey = ObjectKeys.indexKey(prefix, namespace, segment.id());
        byte[] data = s3.get(bucket, dataKey);
        CompactedSegment stored = CompactedSegment.read(ByteBuffer.wrap(data), "s3://" + bucket + "/" + dataKey);
        PageIndex index = PageIndex.read(ByteBuffer.wrap(s3.get(bucket, indexKey)), "s3://" + bucket + "/" + indexKey);
        List<Object> expectedHeader = List.of(segment.id(), segment.pageSize(), segment.sizeAfter());
        assertEquals(expectedHeader, List.of(stored.id(), stored.pageSize(), stored.sizeAfter()), dataKey);
        assertEquals(expectedHeader, List.of(index.id(), index.pageSize(), index.sizeAfter()), indexKey);

        Map<Integer, Frame> expected = WorkerFixture.newestFrames(segment);
        List<Frame> pages = stored.pages();
        assertEquals(new ArrayList<>(expected.keySet()), pages.stream().map(Frame::pageNo).toList(),
                "page numbers of " + dataKey);
        assertEquals(expected.size(), index.pageCount(), "page count of " + indexKey);
        for (Frame page : pages) {
            Frame newest = expected.get(page.pageNo());
            String where = dataKey + " page " + page.pageNo();
            assertEquals(newest.frameNo(), page.frameNo(), "frame_no of " + where);
            assertArrayEquals(newest.page(), page.page(), "bytes of " + where);
            PageLocation location = index.locate(page.pageNo()).orElseThrow(
                    () -> new AssertionError(indexKey + " does not locate page " + page.pageNo()));
            assertEquals(newest.frameNo(), location.frameNo(), "frame_no in " + indexKey + " of page " + page.pageNo());
            int from = Math.toIntExact(location.offset());
            assertArrayEquals(newest.page(), Arrays.copyOfRange(data, from, from + location.length()),
                    "bytes at the range " + indexKey + " gives for page " + page.pageNo());
        }
        return data.length;
    }
}
