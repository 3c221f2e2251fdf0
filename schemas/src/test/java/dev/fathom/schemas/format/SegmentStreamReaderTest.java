package dev.fathom.schemas.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming reader accepts exactly what {@link CompactedSegment#read} accepts: the golden vectors decode to the
 * same pages, and every single-byte flip, every truncation and a trailing byte are refused with a message naming
 * where and the byte offset.
 */
class SegmentStreamReaderTest {

    private static final String WHERE = "s3://bucket/ns/segments/golden.seg";
    private static final int[] FLIPS = {0x01, 0x80, 0xFF};
    private final byte[] golden = GoldenSegment.resource("segment.seg");

    /** Streams {@code bytes} through a reader and returns its pages; throws what the reader throws. */
    private static List<Frame> readAll(InputStream in) throws IOException {
        SegmentStreamReader reader = SegmentStreamReader.open(in, WHERE);
        List<Frame> pages = new ArrayList<>();
        while (reader.next()) {
            byte[] page = new byte[reader.pageSize()];
            reader.page().get(page);
            pages.add(new Frame(reader.pageNo(), 0, reader.frameNo(), page));
        }
        assertFalse(reader.next(), "stays finished");
        assertEquals(reader.objectSize(), reader.bytesRead());
        return pages;
    }

    private static List<Frame> readAll(byte[] bytes) throws IOException {
        return readAll(new ByteArrayInputStream(bytes));
    }

    @Test
    void shouldStreamTheGoldenSegmentToTheSamePagesAsTheArrayReader() throws IOException {
        SegmentStreamReader reader = SegmentStreamReader.open(new ByteArrayInputStream(golden), WHERE);
        assertEquals(new SegmentId(7, 12, GoldenSegment.SEALED_AT_MS), reader.id());
        assertEquals(512, reader.pageSize());
        assertEquals(4, reader.sizeAfter());
        assertEquals(3, reader.pageCount());
        assertEquals(1652, reader.objectSize());
        assertEquals(52, reader.bytesRead());
        assertTrue(reader.next());
        ByteBuffer first = reader.page();
        assertEquals(1, reader.pageNo());
        assertEquals(12, reader.frameNo());
        assertTrue(first.isReadOnly());
        assertTrue(reader.next());
        assertSame(first, reader.page(), "one page buffer per stream");

        List<Frame> expected = CompactedSegment.read(ByteBuffer.wrap(golden), WHERE).pages();
        assertEquals(expected, readAll(golden));
        assertEquals(List.of(1, 2, 3), expected.stream().map(Frame::pageNo).toList());
    }

    @Test
    void shouldReadAStreamThatDeliversOneByteAtATime() throws IOException {
        assertEquals(CompactedSegment.read(ByteBuffer.wrap(golden), WHERE).pages(),
                readAll(new TrickleStream(golden)));
    }

    @Test
    void shouldAgreeWithTheArrayReaderOnRandomSegments() throws IOException {
        Random random = new Random(42);
        for (int i = 0; i < 50; i++) {
            CompactedSegmentObjects objects = CompactedSegmentWriter.write(
                    RandomSegments.random(random, 1 + random.nextInt(1000), 1 + random.nextInt(40), 512, 30));
            assertEquals(CompactedSegment.read(ByteBuffer.wrap(objects.data()), WHERE).pages(),
                    readAll(objects.data()), "segment " + i);
        }
    }

    @Test
    void shouldStreamAnEmptySegment() throws IOException {
        SealedSegment shrunk = SealedSegment.of(512, 5, List.of(new Frame(3, 1, 1, new byte[512])));
        byte[] data = CompactedSegmentWriter.write(shrunk).data();
        assertEquals(68, data.length);
        assertEquals(List.of(), readAll(data));
    }

    @Test
    void shouldDetectEverySingleByteFlip() {
        for (int i = 0; i < golden.length; i++) {
            for (int mask : FLIPS) {
                byte[] corrupt = golden.clone();
                corrupt[i] ^= (byte) mask;
                String context = "flip 0x" + Integer.toHexString(mask) + " at byte " + i;
                CorruptSegmentException e = assertThrows(CorruptSegmentException.class, () -> readAll(corrupt),
                        context);
                assertEquals(WHERE, e.where(), context);
                assertTrue(e.getMessage().startsWith(WHERE + ": "), context + ": " + e.getMessage());
                assertTrue(e.offset() >= 0 && e.offset() <= golden.length, context + ": offset " + e.offset());
            }
        }
    }

    @Test
    void shouldRefuseEveryTruncationAndATrailingByte() {
        for (int length = 0; length < golden.length; length++) {
            byte[] truncated = Arrays.copyOf(golden, length);
            CorruptSegmentException e = assertThrows(CorruptSegmentException.class, () -> readAll(truncated),
                    "truncated to " + length + " bytes");
            assertTrue(e.getMessage().startsWith(WHERE + ": truncated compacted segment: " + length + " bytes"),
                    e.getMessage());
            assertEquals(length, e.offset());
        }
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
                () -> readAll(Arrays.copyOf(golden, golden.length + 1)));
        assertEquals(WHERE + ": unexpected trailing bytes after the compacted segment trailer: more than 1652 bytes,"
                + " expected 1652 (at byte offset 1652)", e.getMessage());
    }

    @Test
    void shouldNameTheRecordTheOffsetAndBothChecksumsOnAPageFlip() {
        byte[] seg = golden.clone();
        seg[600] ^= 0x01; // inside page 2's bytes (record 1 starts at 580, its bytes at 596)
        CorruptSegmentException streamed = assertThrows(CorruptSegmentException.class, () -> readAll(seg));
        CorruptSegmentException whole = assertThrows(CorruptSegmentException.class,
                () -> CompactedSegment.read(ByteBuffer.wrap(seg), WHERE));
        assertEquals(whole.getMessage(), streamed.getMessage());
        assertEquals(592, streamed.offset());
    }

    @Test
    void shouldReportRecordsOutOfOrderBehindValidChecksums() {
        byte[] seg = golden.clone();
        ByteBuffer.wrap(seg).putInt(580, 1); // record 1 claims page 1 again
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
                () -> readAll(ObjectBytes.resealSegment(seg)));
        assertEquals(WHERE + ": page records out of order: page_no 1 in record 1, expected > 1 (sorted, no "
                + "duplicates, from 1) (at byte offset 580)", e.getMessage());
    }

    @Test
    void shouldRefuseAPageIndexStreamedAsASegment() {
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
                () -> readAll(GoldenSegment.resource("segment.idx")));
        assertEquals(WHERE + ": not a compacted segment: expected magic 'FTHMSEG\\x01', actual 'FTHMIDX\\x01' "
                + "(at byte offset 0)", e.getMessage());
    }

    @Test
    void shouldPassOnStreamFailuresAsIoExceptions() {
        InputStream failing = new FilterInputStream(new ByteArrayInputStream(golden, 0, 700)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n < 0) {
                    throw new IOException("connection reset");
                }
                return n;
            }
        };
        IOException e = assertThrows(IOException.class, () -> readAll(failing));
        assertEquals("connection reset", e.getMessage());
    }

    @Test
    void shouldHandOutTheCurrentPageBytes() throws IOException {
        SegmentStreamReader reader = SegmentStreamReader.open(new ByteArrayInputStream(golden), WHERE);
        reader.next();
        reader.next();
        byte[] page = new byte[512];
        reader.page().get(page);
        assertArrayEquals(GoldenSegment.page(2, 10), page);
    }

    /** Returns at most one byte per read call, as a slow network stream may. */
    private static final class TrickleStream extends FilterInputStream {
        TrickleStream(byte[] bytes) {
            super(new ByteArrayInputStream(bytes));
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1));
        }
    }
}
