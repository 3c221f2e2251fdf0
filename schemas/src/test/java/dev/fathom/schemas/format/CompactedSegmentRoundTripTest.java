package dev.fathom.schemas.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Property-style round trips over seeded random segments: newest version wins, index and data agree. */
class CompactedSegmentRoundTripTest {

    private static final int[] PAGE_SIZES = {512, 1024, 4096, 65536};

    @Test
    void shouldKeepTheNewestVersionOfEveryPageWithinSizeAfter() {
        Random random = new Random(20240611L);
        for (int run = 0; run < 300; run++) {
            int pageSize = PAGE_SIZES[random.nextInt(run % 50 == 0 ? 4 : 3)];
            SealedSegment segment = RandomSegments.random(random, 1 + random.nextInt(1_000_000),
                    1 + random.nextInt(60), pageSize, 1 + random.nextInt(20));
            checkRoundTrip(segment, "run " + run + " " + segment);
        }
    }

    @Test
    void shouldWriteIdenticalBytesForIdenticalSegments() {
        Random random = new Random(7);
        for (int run = 0; run < 50; run++) {
            long seed = random.nextLong();
            SealedSegment first = RandomSegments.random(new Random(seed), 10, 40, 512, 12);
            SealedSegment second = RandomSegments.random(new Random(seed), 10, 40, 512, 12);
            assertEquals(CompactedSegmentWriter.write(first), CompactedSegmentWriter.write(second));
            assertArrayEquals(CompactedSegmentWriter.write(first).data(), CompactedSegmentWriter.write(first).data());
        }
    }

    @Test
    void shouldWriteAnEmptyCompactedSegmentWhenTheLastCommitTruncatesEveryWrittenPage() {
        SealedSegment segment = SealedSegment.of(512, 99, List.of(
                new Frame(5, 0, 3, new byte[512]), new Frame(3, 2, 4, new byte[512])));
        CompactedSegmentObjects objects = CompactedSegmentWriter.write(segment);
        assertEquals(0, objects.pageCount());
        assertEquals(52 + 16, objects.data().length);
        assertEquals(52 + 4, objects.index().length);
        CompactedSegment data = CompactedSegment.read(ByteBuffer.wrap(objects.data()), "empty");
        assertEquals(List.of(), data.pages());
        assertEquals(2, data.sizeAfter());
        assertEquals(List.of(), PageIndex.read(ByteBuffer.wrap(objects.index()), "empty").locations());
    }

    @Test
    void shouldReadFromTheBufferPositionWithoutMovingIt() {
        CompactedSegmentObjects objects = CompactedSegmentWriter.write(GoldenSegment.segment());
        ByteBuffer padded = ByteBuffer.allocate(objects.data().length + 10);
        padded.position(7);
        padded.put(objects.data()).flip().position(7);
        assertEquals(3, CompactedSegment.read(padded, "padded").pageCount());
        assertEquals(7, padded.position());
    }

    private static void checkRoundTrip(SealedSegment segment, String context) {
        Map<Integer, Frame> expected = new TreeMap<>();
        segment.frames().stream().filter(f -> f.pageNo() <= segment.sizeAfter())
                .forEach(f -> expected.put(f.pageNo(), f));
        CompactedSegmentObjects objects = CompactedSegmentWriter.write(segment);
        CompactedSegment data = CompactedSegment.read(ByteBuffer.wrap(objects.data()), context);
        PageIndex index = PageIndex.read(ByteBuffer.wrap(objects.index()), context);
        assertEquals(segment.id(), data.id(), context);
        assertEquals(segment.id(), index.id(), context);
        assertEquals(segment.sizeAfter(), data.sizeAfter(), context);
        assertEquals(expected.size(), objects.pageCount(), context);
        assertEquals(expected.size(), index.pageCount(), context);
        assertEquals(objects.data().length, index.dataSize(), context);
        assertEquals(GoldenVectorsTest.crc(objects.data()), objects.dataCrc32c(), context);
        assertEquals(GoldenVectorsTest.crc(objects.index()), objects.indexCrc32c(), context);
        List<Frame> pages = data.pages();
        assertEquals(List.copyOf(expected.keySet()), pages.stream().map(Frame::pageNo).toList(), context);
        for (int pageNo = 1; pageNo <= segment.sizeAfter() + 2; pageNo++) {
            checkPage(objects.data(), data, index, expected.get(pageNo), pageNo, context);
        }
    }

    private static void checkPage(byte[] seg, CompactedSegment data, PageIndex index, Frame newest, int pageNo,
            String context) {
        Optional<PageLocation> location = index.locate(pageNo);
        if (newest == null) {
            assertEquals(Optional.empty(), location, context + " page " + pageNo);
            assertTrue(data.page(pageNo).isEmpty(), context + " page " + pageNo);
            return;
        }
        PageLocation at = location.orElseThrow();
        assertEquals(newest.frameNo(), at.frameNo(), context + " page " + pageNo);
        assertArrayEquals(newest.page(), data.page(pageNo).orElseThrow(), context + " page " + pageNo);
        int from = Math.toIntExact(at.offset());
        byte[] slice = Arrays.copyOfRange(seg, from, from + at.length());
        assertArrayEquals(newest.page(), slice, context + " page " + pageNo + " slice");
        assertEquals(GoldenVectorsTest.crc(slice), at.crc32c(), context + " page " + pageNo);
    }
}
