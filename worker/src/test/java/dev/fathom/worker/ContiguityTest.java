package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContiguityTest {

    @ParameterizedTest(name = "durable {0}, segment {1}..{2} -> {3}")
    @CsvSource({
        // durable, start, end, decision
        "0,  1,  10, NEXT",
        "0,  2,  10, GAP",
        "5,  6,  6,  NEXT",
        "5,  6,  20, NEXT",
        "5,  1,  5,  REPLAY",
        "5,  3,  4,  REPLAY",
        "5,  5,  5,  REPLAY",
        "5,  5,  6,  OVERLAP",
        "5,  1,  9,  OVERLAP",
        "5,  7,  9,  GAP",
        "5,  11, 20, GAP",
        "10, 1,  10, REPLAY",
    })
    void shouldClassifyASegmentAgainstTheDurableFrame(long durable, long start, long end, Contiguity expected) {
        assertEquals(expected, Contiguity.of(durable, start, end));
    }

    @Test
    void shouldNameTheMissingFramesOfAGap() {
        SegmentSource source = new SegmentSource(3, "db1", "default", "seg-11-20", 11, 20, List.of(120L, 121L));

        assertEquals("segment seg-11-20 of namespace db1 starts at frame 11 but the durable frame no is 5: frames"
                + " 6..10 are missing (gap); partition 3 offsets 120..121", Contiguity.reason(source, 5));
    }

    @Test
    void shouldNameTheDurableAndMissingFramesOfAnOverlap() {
        SegmentSource source = new SegmentSource(0, "db1", "default", "seg-3-8", 3, 8, List.of(7L));

        assertEquals("segment seg-3-8 of namespace db1 covers frames 3..8 but the durable frame no is 5: frames"
                + " 3..5 are already durable and 6..8 are not (partial overlap); partition 0 offset 7",
                Contiguity.reason(source, 5));
    }

    @Test
    void shouldRefuseToExplainASegmentThatIsNotPoison() {
        SegmentSource source = new SegmentSource(0, "db1", "default", "seg-6-8", 6, 8, List.of(7L));

        assertThrows(IllegalArgumentException.class, () -> Contiguity.reason(source, 5));
    }
}
