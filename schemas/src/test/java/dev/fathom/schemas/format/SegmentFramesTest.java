package dev.fathom.schemas.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The SegmentChunk.frames payload round-trips, splits into chunks on record boundaries and refuses partial records. */
class SegmentFramesTest {

    private static final String WHERE = "namespace db1 segment 7-12 chunk 0";

    @Test
    void shouldRoundTripRandomSegments() {
        Random random = new Random(42);
        for (int run = 0; run < 100; run++) {
            SealedSegment segment = RandomSegments.random(random, 1 + random.nextInt(100), 1 + random.nextInt(30),
                    512 << random.nextInt(4), 10);
            byte[] payload = SegmentFrames.encode(segment.frames());
            assertEquals(segment.frameBytes(), payload.length);
            assertEquals(segment.frames(), SegmentFrames.decode(ByteBuffer.wrap(payload), segment.pageSize(), WHERE));
        }
    }

    @Test
    void shouldDecodeConcatenatedChunksToTheWholeSegment() {
        SealedSegment segment = GoldenSegment.segment();
        List<Frame> frames = segment.frames();
        byte[] first = SegmentFrames.encode(frames.subList(0, 2));
        byte[] second = SegmentFrames.encode(frames.subList(2, frames.size()));
        ByteBuffer joined = ByteBuffer.allocate(first.length + second.length).put(first).put(second).flip();
        assertEquals(frames, SegmentFrames.decode(joined, 512, WHERE));
        assertEquals(0, joined.position(), "decode must not move the caller's buffer");
        assertEquals(frames.subList(2, frames.size()), SegmentFrames.decode(ByteBuffer.wrap(second), 512, WHERE));
    }

    @Test
    void shouldDecodePayloadsSplitAtAnyByteAsTheirConcatenation() {
        SealedSegment segment = GoldenSegment.segment();
        byte[] payload = SegmentFrames.encode(segment.frames());
        int recordSize = SegmentFrames.recordSize(512);
        // Every cut point, including inside a record header and inside a page, plus an empty payload between.
        for (int cut = 0; cut <= payload.length; cut += 7) {
            int second = Math.min(payload.length, cut + recordSize / 3);
            List<ByteBuffer> parts = List.of(ByteBuffer.wrap(payload, 0, cut).slice(), ByteBuffer.allocate(0),
                    ByteBuffer.wrap(payload, cut, second - cut).slice(),
                    ByteBuffer.wrap(payload, second, payload.length - second).slice());
            assertEquals(segment.frames(), SegmentFrames.decode(parts, 512, WHERE), "cut at " + cut);
            for (ByteBuffer part : parts) {
                assertEquals(0, part.position(), "decode must not move the caller's buffers");
            }
        }
    }

    @Test
    void shouldReportATruncatedRecordAtItsOffsetInTheConcatenation() {
        byte[] payload = GoldenSegment.resource("frames.bin");
        int recordSize = SegmentFrames.recordSize(512);
        int length = 2 * recordSize + 100;
        List<ByteBuffer> parts = List.of(ByteBuffer.wrap(payload, 0, recordSize + 50).slice(),
                ByteBuffer.wrap(payload, recordSize + 50, length - recordSize - 50).slice());
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
                () -> SegmentFrames.decode(parts, 512, WHERE));
        assertEquals(2L * recordSize, e.offset());
        assertTrue(e.getMessage().contains("truncated frame record: 100 bytes remain"), e.getMessage());
    }

    @Test
    void shouldRejectEveryPartialRecordLength() {
        byte[] payload = GoldenSegment.resource("frames.bin");
        int recordSize = SegmentFrames.recordSize(512);
        assertEquals(528, recordSize);
        for (int length = 0; length < payload.length; length++) {
            ByteBuffer truncated = ByteBuffer.wrap(Arrays.copyOf(payload, length));
            if (length % recordSize == 0) {
                assertEquals(length / recordSize, SegmentFrames.decode(truncated, 512, WHERE).size());
                continue;
            }
            CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
                    () -> SegmentFrames.decode(truncated, 512, WHERE), "length " + length);
            assertEquals(length - length % recordSize, e.offset());
            assertTrue(e.getMessage().startsWith(WHERE + ": truncated frame record: " + length % recordSize
                    + " bytes remain, expected a whole record of 528 bytes"), e.getMessage());
        }
    }

    @Test
    void shouldRefuseAnInvalidPageSize() {
        InvalidSegmentException e = assertThrows(InvalidSegmentException.class,
                () -> SegmentFrames.decode(ByteBuffer.allocate(0), 1000, WHERE));
        assertTrue(e.getMessage().contains("page size 1000 is not a power of two in 512..65536"), e.getMessage());
        assertTrue(e.getMessage().contains(WHERE), e.getMessage());
    }

    @Test
    void shouldRefuseToEncodePagesOfDifferentLengths() {
        List<Frame> mixed = List.of(new Frame(1, 0, 1, new byte[512]), new Frame(2, 2, 2, new byte[1024]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SegmentFrames.encode(mixed));
        assertTrue(e.getMessage().contains("frame_no 2"), e.getMessage());
        assertEquals(0, SegmentFrames.encode(List.of()).length);
    }
}
