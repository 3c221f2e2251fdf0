package dev.fathom.producer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.format.Frame;
import dev.fathom.schemas.format.InvalidSegmentException;
import dev.fathom.schemas.format.SealedSegment;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SegmentBuilderTest {

    private static final Instant SEALED_AT = Instant.parse("2026-11-25T10:15:30.123Z");

    private static byte[] page(int size, int fill) {
        byte[] page = new byte[size];
        Arrays.fill(page, (byte) fill);
        return page;
    }

    @Test
    void shouldNumberFramesFromTheStartAndSealThem() {
        SealedSegment segment = new SegmentBuilder(4096, 101)
                .addFrame(3, 0, page(4096, 1))
                .addFrame(1, 0, page(4096, 2))
                .addFrame(3, 5, page(4096, 3))
                .seal(SEALED_AT);

        assertEquals(101, segment.startFrameNo());
        assertEquals(103, segment.endFrameNo());
        assertEquals(5, segment.sizeAfter());
        assertEquals(4096, segment.pageSize());
        assertEquals(SEALED_AT.toEpochMilli(), segment.sealedAtMs());
        assertEquals(new Frame(1, 0, 102, page(4096, 2)), segment.frames().get(1));
    }

    @Test
    void shouldStartAtFrameOneByDefault() {
        SealedSegment segment = new SegmentBuilder(512).addFrame(1, 1, page(512, 9)).seal(SEALED_AT);
        assertEquals(1, segment.startFrameNo());
    }

    @Test
    void shouldContinueTheNextSegmentAfterTheSealedOne() {
        SegmentBuilder builder = new SegmentBuilder(1024, 10);
        SealedSegment first = builder.addFrame(1, 0, page(1024, 1)).addFrame(2, 2, page(1024, 2)).seal(SEALED_AT);
        SealedSegment second = builder.addFrame(1, 2, page(1024, 3)).seal(SEALED_AT.plusSeconds(1));

        assertEquals(11, first.endFrameNo());
        assertEquals(first.endFrameNo() + 1, second.startFrameNo());
        assertEquals(13, builder.nextFrameNo());
        assertEquals(0, builder.frameCount());
    }

    @Test
    void shouldCopyPagesSoTheCallerMayReuseItsBuffer() {
        byte[] buffer = page(512, 7);
        SegmentBuilder builder = new SegmentBuilder(512).addFrame(1, 1, buffer);
        Arrays.fill(buffer, (byte) 0);

        assertArrayEquals(page(512, 7), builder.seal(SEALED_AT).frames().get(0).page());
    }

    @Test
    void shouldRejectAPageOfTheWrongSizeNamingTheFrame() {
        SegmentBuilder builder = new SegmentBuilder(4096, 7).addFrame(1, 0, page(4096, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> builder.addFrame(2, 2, page(1024, 1)));
        assertTrue(e.getMessage().contains("Frame 8") && e.getMessage().contains("1024"), e.getMessage());
        assertEquals(1, builder.frameCount());
    }

    @Test
    void shouldRejectPageNumberZero() {
        assertThrows(IllegalArgumentException.class, () -> new SegmentBuilder(512).addFrame(0, 1, page(512, 1)));
    }

    @Test
    void shouldRefuseToSealWithoutACommitFrameAndKeepTheFrames() {
        SegmentBuilder builder = new SegmentBuilder(512).addFrame(1, 0, page(512, 1));

        assertThrows(InvalidSegmentException.class, () -> builder.seal(SEALED_AT));
        assertEquals(1, builder.frameCount());
        SealedSegment segment = builder.addFrame(2, 2, page(512, 2)).seal(SEALED_AT);
        assertEquals(2, segment.frames().size());
    }

    @Test
    void shouldRefuseToSealNothing() {
        assertThrows(InvalidSegmentException.class, () -> new SegmentBuilder(512).seal(SEALED_AT));
    }

    @Test
    void shouldRejectAnInvalidPageSizeOrStart() {
        assertThrows(IllegalArgumentException.class, () -> new SegmentBuilder(1000));
        assertThrows(IllegalArgumentException.class, () -> new SegmentBuilder(131072));
        assertThrows(IllegalArgumentException.class, () -> new SegmentBuilder(4096, 0));
    }
}
