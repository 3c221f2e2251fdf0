package dev.fathom.schemas.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SealedSegment.of accepts valid segments and refuses each broken rule with a message naming frame and rule. */
class SealedSegmentTest {

    private static final int PAGE = 512;

    static Stream<Arguments> invalidSegments() {
        return Stream.of(
                Arguments.of("gap in frame nos", PAGE, List.of(frame(1, 0, 5), frame(2, 0, 6), frame(3, 3, 8)),
                        "Invalid segment: frame_no 8 (index 2) does not follow frame_no 6: expected frame_no 7"
                                + " (frame numbers are contiguous)"),
                Arguments.of("repeated frame no", PAGE, List.of(frame(1, 0, 5), frame(2, 2, 5)),
                        "frame_no 5 (index 1) does not follow frame_no 5: expected frame_no 6"),
                Arguments.of("last frame not commit", PAGE, List.of(frame(1, 0, 1), frame(2, 0, 2)),
                        "Invalid segment: last frame_no 2 (index 1) is not a commit frame (size_after 0);"
                                + " a segment must end on a commit"),
                Arguments.of("wrong page length", PAGE, List.of(frame(1, 0, 1),
                        new Frame(2, 2, 2, new byte[PAGE - 1])),
                        "Invalid segment: frame_no 2 (index 1) has a page of 511 bytes, expected the page size 512"),
                Arguments.of("page size 1000", 1000, List.of(new Frame(1, 1, 1, new byte[1000])),
                        "Invalid segment: page size 1000 is not a power of two in 512..65536"),
                Arguments.of("page size 256", 256, List.of(new Frame(1, 1, 1, new byte[256])),
                        "Invalid segment: page size 256 is not a power of two in 512..65536"),
                Arguments.of("page size 131072", 131072, List.of(new Frame(1, 1, 1, new byte[131072])),
                        "Invalid segment: page size 131072 is not a power of two in 512..65536"),
                Arguments.of("pageNo 0", PAGE, List.of(frame(1, 0, 3), frame(0, 1, 4)),
                        "Invalid segment: frame_no 4 (index 1) has page_no 0; page numbers start at 1"),
                Arguments.of("negative size_after", PAGE, List.of(frame(1, -1, 3)),
                        "Invalid segment: frame_no 3 (index 0) has size_after -1; must be >= 0"),
                Arguments.of("frame no 0", PAGE, List.of(frame(1, 1, 0)),
                        "Invalid segment: frame_no 0 (index 0): frame numbers start at 1"),
                Arguments.of("empty", PAGE, List.of(),
                        "Invalid segment: no frames; a segment holds at least one frame"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSegments")
    void shouldRefuseInvalidSegments(String name, int pageSize, List<Frame> frames, String message) {
        InvalidSegmentException e = assertThrows(InvalidSegmentException.class,
                () -> SealedSegment.of(pageSize, 1000, frames));
        assertTrue(e.getMessage().contains(message), "expected '" + message + "' in: " + e.getMessage());
    }

    @Test
    void shouldRefuseNullFramesAndSealedAtOutOfRange() {
        assertThrows(InvalidSegmentException.class, () -> SealedSegment.of(PAGE, 1000, null));
        InvalidSegmentException e = assertThrows(InvalidSegmentException.class,
                () -> SealedSegment.of(PAGE, -1, List.of(frame(1, 1, 1))));
        assertEquals("Invalid segment: sealed_at_ms -1 is outside 0..9999999999999", e.getMessage());
    }

    @Test
    void shouldExposeTheSegmentsRangeSizeAndId() {
        SealedSegment segment = GoldenSegment.segment();
        assertEquals(7, segment.startFrameNo());
        assertEquals(12, segment.endFrameNo());
        assertEquals(4, segment.sizeAfter());
        assertEquals(512, segment.pageSize());
        assertEquals(GoldenSegment.SEALED_AT_MS, segment.sealedAtMs());
        assertEquals(new SegmentId(7, 12, GoldenSegment.SEALED_AT_MS), segment.id());
        assertEquals(6L * (16 + 512), segment.frameBytes());
        assertEquals(SegmentFrames.encode(segment.frames()).length, segment.frameBytes());
    }

    @Test
    void shouldNotBeChangedThroughTheCallersList() {
        List<Frame> frames = new ArrayList<>(List.of(frame(1, 1, 1)));
        SealedSegment segment = SealedSegment.of(PAGE, 5, frames);
        frames.add(frame(2, 2, 2));
        assertEquals(1, segment.frames().size());
        assertThrows(UnsupportedOperationException.class, () -> segment.frames().add(frame(2, 2, 2)));
    }

    @Test
    void shouldAcceptEveryValidPageSize() {
        for (int pageSize = 512; pageSize <= 65536; pageSize *= 2) {
            SealedSegment segment = SealedSegment.of(pageSize, 0, List.of(new Frame(1, 1, 1, new byte[pageSize])));
            assertEquals(pageSize, segment.pageSize());
        }
    }

    private static Frame frame(int pageNo, int sizeAfter, long frameNo) {
        return new Frame(pageNo, sizeAfter, frameNo, new byte[PAGE]);
    }
}
