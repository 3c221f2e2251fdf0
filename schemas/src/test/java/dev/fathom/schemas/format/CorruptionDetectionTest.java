package dev.fathom.schemas.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Every flipped byte and every truncation of a small .seg and .idx is refused with a message naming where. */
class CorruptionDetectionTest {

    private static final String WHERE = "s3://bucket/ns/segments/golden.seg";
    private static final int[] FLIPS = {0x01, 0x80, 0xFF};
    private final CompactedSegmentObjects objects = CompactedSegmentWriter.write(GoldenSegment.segment());

    @Test
    void shouldDetectEverySingleByteFlipInTheCompactedSegment() {
        checkEveryFlip(objects.data(), bytes -> CompactedSegment.read(ByteBuffer.wrap(bytes), WHERE));
    }

    @Test
    void shouldDetectEverySingleByteFlipInThePageIndex() {
        checkEveryFlip(objects.index(), bytes -> PageIndex.read(ByteBuffer.wrap(bytes), WHERE));
    }

    @Test
    void shouldRejectEveryTruncationAndTrailingBytesOfTheCompactedSegment() {
        checkEveryTruncation(objects.data(), bytes -> CompactedSegment.read(ByteBuffer.wrap(bytes), WHERE));
    }

    @Test
    void shouldRejectEveryTruncationAndTrailingBytesOfThePageIndex() {
        checkEveryTruncation(objects.index(), bytes -> PageIndex.read(ByteBuffer.wrap(bytes), WHERE));
    }

    @Test
    void shouldNameTheOffsetAndBothChecksumsOnAPageFlip() {
        byte[] seg = objects.data().clone();
        seg[600] ^= 0x01; // inside page 2's bytes (record 1 starts at 580, its bytes at 596)
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
                () -> CompactedSegment.read(ByteBuffer.wrap(seg), WHERE));
        assertEquals(WHERE, e.where());
        assertEquals(592, e.offset());
        assertTrue(e.getMessage().startsWith(WHERE + ": page CRC32C mismatch in page record 1 (page_no 2): "
                + "computed 0x"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(at byte offset 592)"), e.getMessage());
    }

    @Test
    void shouldNameBothMagicsWhenAnIndexIsReadAsASegment() {
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
                () -> CompactedSegment.read(ByteBuffer.wrap(objects.index()), WHERE));
        assertEquals(WHERE + ": not a compacted segment: expected magic 'FTHMSEG\\x01', actual 'FTHMIDX\\x01' "
                + "(at byte offset 0)", e.getMessage());
        CorruptSegmentException reverse = assertThrows(CorruptSegmentException.class,
                () -> PageIndex.read(ByteBuffer.wrap(objects.data()), WHERE));
        assertTrue(reverse.getMessage().contains("not a page index: expected magic 'FTHMIDX\\x01'"));
    }

    @Test
    void shouldNameTheLengthsOfATruncatedObject() {
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
                () -> CompactedSegment.read(ByteBuffer.wrap(Arrays.copyOf(objects.data(), 1000)), WHERE));
        assertEquals(WHERE + ": truncated compacted segment: 1000 bytes, expected 1652 for 3 pages of 512 bytes"
                + " (at byte offset 1000)", e.getMessage());
        CorruptSegmentException tiny = assertThrows(CorruptSegmentException.class,
                () -> PageIndex.read(ByteBuffer.wrap(new byte[10]), WHERE));
        assertEquals(WHERE + ": truncated page index: 10 bytes, expected at least the 52-byte header"
                + " (at byte offset 10)", tiny.getMessage());
    }

    private static void checkEveryFlip(byte[] original, Consumer<byte[]> reader) {
        reader.accept(original);
        for (int i = 0; i < original.length; i++) {
            for (int mask : FLIPS) {
                byte[] corrupt = original.clone();
                corrupt[i] ^= (byte) mask;
                String context = "flip 0x" + Integer.toHexString(mask) + " at byte " + i;
                CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
                        () -> reader.accept(corrupt), context);
                assertTrue(e.getMessage().startsWith(WHERE + ": "), context + ": " + e.getMessage());
                assertTrue(e.getMessage().contains("at byte offset "), context + ": " + e.getMessage());
            }
        }
    }

    private static void checkEveryTruncation(byte[] original, Consumer<byte[]> reader) {
        for (int length = 0; length < original.length; length++) {
            byte[] truncated = Arrays.copyOf(original, length);
            CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
                    () -> reader.accept(truncated), "truncated to " + length + " bytes");
            assertTrue(e.getMessage().startsWith(WHERE + ": "), e.getMessage());
        }
        byte[] longer = Arrays.copyOf(original, original.length + 1);
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class, () -> reader.accept(longer));
        assertTrue(e.getMessage().contains("unexpected trailing bytes"), e.getMessage());
    }
}
