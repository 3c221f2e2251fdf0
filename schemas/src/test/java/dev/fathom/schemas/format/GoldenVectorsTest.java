package dev.fathom.schemas.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The committed v1 golden vectors (format/v1/) are reproduced byte for byte and decode to the documented values. */
class GoldenVectorsTest {

    private static final String WHERE = "golden format/v1";
    private final SealedSegment segment = GoldenSegment.segment();
    private final CompactedSegmentObjects objects = CompactedSegmentWriter.write(segment);

    @Test
    void shouldReproduceTheFramesPayloadByteForByte() {
        assertArrayEquals(GoldenSegment.resource("frames.bin"), SegmentFrames.encode(segment.frames()));
    }

    @Test
    void shouldReproduceTheCompactedSegmentAndIndexByteForByte() {
        assertArrayEquals(GoldenSegment.resource("segment.seg"), objects.data());
        assertArrayEquals(GoldenSegment.resource("segment.idx"), objects.index());
        assertEquals(3, objects.pageCount());
        assertEquals(0x7a613e94, objects.dataCrc32c());
        assertEquals(0xa5d29494, objects.indexCrc32c());
    }

    @Test
    void shouldDecodeTheFramesPayloadToTheGoldenFrames() {
        List<Frame> frames = SegmentFrames.decode(ByteBuffer.wrap(GoldenSegment.resource("frames.bin")),
                GoldenSegment.PAGE_SIZE, WHERE);
        assertEquals(segment.frames(), frames);
        assertEquals(segment, SealedSegment.of(GoldenSegment.PAGE_SIZE, GoldenSegment.SEALED_AT_MS, frames));
        assertEquals(3168, segment.frameBytes());
    }

    @Test
    void shouldDecodeTheCompactedSegmentToTheNewestPagesWithinSizeAfter() {
        CompactedSegment read = CompactedSegment.read(ByteBuffer.wrap(GoldenSegment.resource("segment.seg")), WHERE);
        assertEquals(new SegmentId(7, 12, GoldenSegment.SEALED_AT_MS), read.id());
        assertEquals(512, read.pageSize());
        assertEquals(4, read.sizeAfter());
        assertEquals(3, read.pageCount());
        assertEquals(List.of(
                new Frame(1, 0, 12, GoldenSegment.page(1, 12)),
                new Frame(2, 0, 10, GoldenSegment.page(2, 10)),
                new Frame(3, 0, 11, GoldenSegment.page(3, 11))), read.pages());
        assertEquals(Optional.empty(), read.page(5), "page 5 was truncated away by the last commit");
        assertEquals(Optional.empty(), read.page(4), "page 4 was never written in this segment");
        assertArrayEquals(GoldenSegment.page(2, 10), read.page(2).orElseThrow());
    }

    @Test
    void shouldDecodeTheIndexToTheDocumentedOffsets() {
        PageIndex index = PageIndex.read(ByteBuffer.wrap(GoldenSegment.resource("segment.idx")), WHERE);
        assertEquals(new SegmentId(7, 12, GoldenSegment.SEALED_AT_MS), index.id());
        assertEquals(4, index.sizeAfter());
        assertEquals(1652, index.dataSize());
        assertEquals(List.of(
                new PageLocation(1, 12, 68, 512, crc(GoldenSegment.page(1, 12))),
                new PageLocation(2, 10, 596, 512, crc(GoldenSegment.page(2, 10))),
                new PageLocation(3, 11, 1124, 512, crc(GoldenSegment.page(3, 11)))), index.locations());
        assertEquals(Optional.of(index.locations().get(1)), index.locate(2));
        assertEquals(Optional.empty(), index.locate(5));
    }

    @Test
    void shouldPlaceHeaderFieldsAtTheDocumentedOffsets() {
        ByteBuffer seg = ByteBuffer.wrap(GoldenSegment.resource("segment.seg"));
        assertEquals("FTHMSEG\u0001", ascii(seg, 0, 8));
        assertEquals(1, seg.getShort(8));
        assertEquals(0, seg.getShort(10));
        assertEquals(512, seg.getInt(12));
        assertEquals(7, seg.getLong(16));
        assertEquals(12, seg.getLong(24));
        assertEquals(GoldenSegment.SEALED_AT_MS, seg.getLong(32));
        assertEquals(4, seg.getInt(40));
        assertEquals(3, seg.getInt(44));
        assertEquals(crc(Arrays.copyOfRange(seg.array(), 0, 48)), seg.getInt(48));
        assertEquals(1, seg.getInt(52), "first record's page_no");
        assertEquals(12, seg.getLong(56), "first record's frame_no");
        assertEquals(crc(GoldenSegment.page(1, 12)), seg.getInt(64), "first record's page CRC32C");
        assertEquals("FTHMEND\u0001", ascii(seg, 1636, 8));
        assertEquals(3, seg.getInt(1644));
        assertEquals(crc(Arrays.copyOfRange(seg.array(), 52, 1648)), seg.getInt(1648));
        ByteBuffer idx = ByteBuffer.wrap(GoldenSegment.resource("segment.idx"));
        assertEquals("FTHMIDX\u0001", ascii(idx, 0, 8));
        assertEquals(crc(Arrays.copyOfRange(idx.array(), 0, 136)), idx.getInt(136));
    }

    @Test
    void shouldSliceTheSegmentToThePageBytesAtEachIndexedLocation() {
        byte[] seg = GoldenSegment.resource("segment.seg");
        PageIndex index = PageIndex.read(ByteBuffer.wrap(GoldenSegment.resource("segment.idx")), WHERE);
        for (PageLocation location : index.locations()) {
            int from = (int) location.offset();
            byte[] slice = Arrays.copyOfRange(seg, from, from + location.length());
            assertArrayEquals(GoldenSegment.page(location.pageNo(), location.frameNo()), slice);
            assertEquals(location.crc32c(), crc(slice));
        }
        assertTrue(index.locate(1).isPresent());
    }

    private static String ascii(ByteBuffer buf, int offset, int length) {
        return new String(buf.array(), offset, length, StandardCharsets.ISO_8859_1);
    }

    static int crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }
}
