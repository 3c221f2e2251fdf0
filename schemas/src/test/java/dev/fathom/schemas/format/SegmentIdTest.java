package dev.fathom.schemas.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SegmentId formats to fixed-width digits, parses exactly that back, and refuses anything else clearly. */
class SegmentIdTest {

    @Test
    void shouldFormatFixedWidthDigits() {
        SegmentId id = new SegmentId(7, 12, 1_700_000_000_123L);
        assertEquals("00000000000000000007-00000000000000000012-1700000000123", id.format());
        assertEquals(id.format(), id.toString());
        assertEquals("00000000000000000001-09223372036854775807-0000000000000",
                new SegmentId(1, Long.MAX_VALUE, 0).format());
    }

    @Test
    void shouldRoundTripRandomIds() {
        Random random = new Random(3);
        for (int i = 0; i < 1000; i++) {
            long start = 1 + (random.nextLong() >>> 2);
            long end = start + (random.nextLong() >>> 3);
            SegmentId id = new SegmentId(start, end, Math.floorMod(random.nextLong(), SegmentId.MAX_SEALED_AT_MS + 1));
            assertEquals(55, id.format().length());
            assertEquals(id, SegmentId.parse(id.format()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "7-12-1700000000123",
            "00000000000000000007-00000000000000000012-170000000012",
            "00000000000000000007-00000000000000000012-17000000001234",
            "00000000000000000007_00000000000000000012-1700000000123",
            "+0000000000000000007-00000000000000000012-1700000000123",
            "00000000000000000007-00000000000000000012-1700000000123.seg",
            " 00000000000000000007-00000000000000000012-1700000000123"})
    void shouldRefuseMalformedText(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SegmentId.parse(text));
        assertTrue(e.getMessage().startsWith("Invalid segment id '"), e.getMessage());
        assertTrue(e.getMessage().contains("expected <start:20 digits>-<end:20 digits>-<sealed_at_ms:13 digits>"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "00000000000000000000-00000000000000000012-1700000000123|start frame_no 0 must be >= 1",
        "00000000000000000013-00000000000000000012-1700000000123|end frame_no 12 is before start frame_no 13",
        "00000000000000000001-99999999999999999999-1700000000123|frame number exceeds 9223372036854775807"})
    void shouldRefuseOutOfRangeNumbers(String text, String problem) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SegmentId.parse(text));
        assertTrue(e.getMessage().startsWith("Invalid segment id '" + text + "': "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void shouldRefuseInvalidComponents() {
        assertThrows(IllegalArgumentException.class, () -> SegmentId.parse(null));
        assertThrows(IllegalArgumentException.class, () -> new SegmentId(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SegmentId(5, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> new SegmentId(1, 1, -1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SegmentId(1, 1, SegmentId.MAX_SEALED_AT_MS + 1));
        assertEquals("Invalid segment id: sealed_at_ms 10000000000000 is outside 0..9999999999999", e.getMessage());
    }
}
