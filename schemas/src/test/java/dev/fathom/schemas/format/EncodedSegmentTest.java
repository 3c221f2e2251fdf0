package dev.fathom.schemas.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class EncodedSegmentTest {

    private final SealedSegment segment = RandomSegments.random(new Random(3), 11, 6, 512, 4);
    private final int record = SegmentFrames.recordSize(512);

    @Test
    void shouldAcceptTheEncodingOfAValidSegmentAndDescribeItTheSame() {
        EncodedSegment encoded = EncodedSegment.of(segment);

        EncodedSegment verified = EncodedSegment.verify(512, segment.sealedAtMs(), encoded.frames());

        assertEquals(encoded, verified);
        assertEquals(segment.id(), verified.id());
        assertEquals(segment.sizeAfter(), verified.sizeAfter());
        assertEquals(segment.frameBytes(), verified.frameBytes());
        assertEquals(segment.frames(), SegmentFrames.decode(verified.frames(), 512, "test"));
    }

    @Test
    void shouldRefuseWhatSealedSegmentOfRefuses() {
        List<Consumer<ByteBuffer>> breaks = List.of(
                b -> b.putLong(8, 0),                          // first frame_no below 1
                b -> b.putLong(record + 8, 99),                // frame_no not contiguous
                b -> b.putInt(2 * record, 0),                  // page_no 0
                b -> b.putInt(2 * record + 4, -1),             // negative size_after
                b -> b.putInt(5 * record + 4, 0));             // the last frame does not commit
        for (int i = 0; i < breaks.size(); i++) {
            ByteBuffer bad = ByteBuffer.wrap(SegmentFrames.encode(segment.frames()));
            breaks.get(i).accept(bad);
            int which = i;
            InvalidSegmentException e = assertThrows(InvalidSegmentException.class,
                    () -> EncodedSegment.verify(512, segment.sealedAtMs(), bad), "break " + which);
            assertTrue(e.getMessage().startsWith("Invalid segment: "), e.getMessage());
        }
    }

    @Test
    void shouldRefuseAPartialRecordAnEmptyPayloadAndABadPageSize() {
        byte[] frames = SegmentFrames.encode(segment.frames());
        assertThrows(InvalidSegmentException.class,
                () -> EncodedSegment.verify(512, 1, ByteBuffer.wrap(frames, 0, frames.length - 1)));
        assertThrows(InvalidSegmentException.class, () -> EncodedSegment.verify(512, 1, ByteBuffer.allocate(0)));
        assertThrows(InvalidSegmentException.class, () -> EncodedSegment.verify(1000, 1, ByteBuffer.wrap(frames)));
        assertThrows(InvalidSegmentException.class,
                () -> EncodedSegment.verify(512, SegmentId.MAX_SEALED_AT_MS + 1, ByteBuffer.wrap(frames)));
    }
}
