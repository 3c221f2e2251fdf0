package dev.fathom.schemas.format;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compacts a sealed segment into its {@code .seg} and {@code .idx} objects (docs/FORMATS.md): the newest frame of
 * each page, sorted by page_no, minus pages beyond the segment's final size_after. Deterministic: the same segment
 * always gives the same bytes, so re-uploading to the same key is idempotent. Stateless and thread-safe.
 */
public final class CompactedSegmentWriter {

    private CompactedSegmentWriter() {
    }

    /**
     * Builds both objects for a segment.
     *
     * @throws IllegalArgumentException when the compacted segment would not fit in one array (&gt;= 2 GiB)
     */
    public static CompactedSegmentObjects write(SealedSegment segment) {
        List<Frame> pages = newestPages(segment);
        ObjectHeader header = new ObjectHeader(segment.pageSize(), segment.startFrameNo(), segment.endFrameNo(),
                segment.sealedAtMs(), segment.sizeAfter(), pages.size());
        int[] pageCrcs = pages.stream().mapToInt(page -> ObjectHeader.crc32c(page.page())).toArray();
        byte[] data = encodeData(header, pages, pageCrcs, segment);
        byte[] index = encodeIndex(header, pages, pageCrcs);
        return new CompactedSegmentObjects(data, index, pages.size(), ObjectHeader.crc32c(data),
                ObjectHeader.crc32c(index));
    }

    /**
     * Keeps the highest frame_no of each page. Pages above the final size_after are dropped: the last commit
     * truncated them away, so restoring this segment's state never uses them, and keeping an orphan version could
     * only ever resurface stale content.
     */
    private static List<Frame> newestPages(SealedSegment segment) {
        Map<Integer, Frame> newest = new HashMap<>();
        for (Frame frame : segment.frames()) {
            if (frame.pageNo() <= segment.sizeAfter()) {
                newest.put(frame.pageNo(), frame); // frames are in frame order, so later ones win
            }
        }
        List<Frame> pages = new ArrayList<>(newest.values());
        pages.sort(Comparator.comparingInt(Frame::pageNo));
        return pages;
    }

    private static byte[] encodeData(ObjectHeader header, List<Frame> pages, int[] pageCrcs,
            SealedSegment segment) {
        long size = CompactedSegment.objectSize(pages.size(), header.pageSize());
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("Segment " + segment.id() + " compacts to " + size
                    + " bytes, more than one object array can hold (2 GiB); seal smaller segments");
        }
        ByteBuffer out = ByteBuffer.allocate((int) size);
        header.writeTo(out, CompactedSegment.MAGIC);
        for (int i = 0; i < pages.size(); i++) {
            Frame page = pages.get(i);
            out.putInt(page.pageNo()).putLong(page.frameNo()).putInt(pageCrcs[i]).put(page.page());
        }
        int recordsStart = ObjectHeader.SIZE;
        out.put(CompactedSegment.TRAILER_MAGIC).putInt(pages.size());
        out.putInt(ObjectHeader.crc32c(out, recordsStart, out.position()));
        return out.array();
    }

    private static byte[] encodeIndex(ObjectHeader header, List<Frame> pages, int[] pageCrcs) {
        ByteBuffer out = ByteBuffer.allocate((int) PageIndex.objectSize(pages.size()));
        header.writeTo(out, PageIndex.MAGIC);
        for (int i = 0; i < pages.size(); i++) {
            Frame page = pages.get(i);
            out.putInt(page.pageNo()).putLong(page.frameNo())
                    .putLong(CompactedSegment.pageOffset(i, header.pageSize())).putInt(header.pageSize())
                    .putInt(pageCrcs[i]);
        }
        out.putInt(ObjectHeader.crc32c(out, 0, out.position()));
        return out.array();
    }
}
