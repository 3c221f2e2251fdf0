package dev.fathom.schemas.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Structurally wrong objects behind valid checksums (a buggy or foreign writer) are refused: wrong version,
 * invalid page size, inconsistent counts, unsorted or duplicate pages, out-of-range numbers, bad index offsets.
 */
class StructureValidationTest {

    private static final String WHERE = "namespace db1 segment golden";
    private static final CompactedSegmentObjects OBJECTS = CompactedSegmentWriter.write(GoldenSegment.segment());

    static Stream<Arguments> corruptSegments() {
        return Stream.of(
                seg("version 2", b -> b.putShort(8, (short) 2), 8,
                        "unsupported compacted segment format version: expected 1, actual 2"),
                seg("reserved field set", b -> b.putShort(10, (short) 1), 10,
                        "compacted segment header reserved field: expected 0, actual 1"),
                seg("page size 1000", b -> b.putInt(12, 1000), 12,
                        "compacted segment header page size: expected a power of two in 512..65536, actual 1000"),
                seg("page size 256", b -> b.putInt(12, 256), 12, "actual 256"),
                seg("page size 131072", b -> b.putInt(12, 131072), 12, "actual 131072"),
                seg("start frame 0", b -> b.putLong(16, 0), 16, "start frame_no: expected >= 1, actual 0"),
                seg("end before start", b -> b.putLong(24, 6), 24, "end frame_no: expected >= start frame_no 7"),
                seg("negative sealed_at", b -> b.putLong(32, -1), 32, "sealed_at_ms: expected 0..9999999999999"),
                seg("size_after 0", b -> b.putInt(40, 0), 40, "size_after: expected 1..2147483647, actual 0"),
                seg("page count above size_after", b -> b.putInt(40, 2), 44,
                        "page count: expected 0..2 (<= size_after and <= frames in range), actual 3"),
                seg("header page count 2", b -> b.putInt(44, 2), 1124,
                        "unexpected trailing bytes after the compacted segment trailer: 1652 bytes, expected 1124"),
                seg("trailer page count 2", b -> b.putInt(1644, 2), 1644,
                        "inconsistent page count: trailer says 2, header says 3"),
                seg("trailer magic", b -> b.put(1636, (byte) 'X'), 1636,
                        "bad compacted segment trailer magic: expected 'FTHMEND\\x01', actual 'XTHMEND\\x01'"),
                seg("unsorted pages", b -> b.putInt(52, 3), 580, "page records out of order: page_no 2 in record 1,"
                        + " expected > 3 (sorted, no duplicates, from 1)"),
                seg("duplicate page", b -> b.putInt(580, 1), 580, "page_no 1 in record 1, expected > 1"),
                seg("page 0", b -> b.putInt(52, 0), 52, "page_no 0 in record 0, expected > 0"),
                seg("page beyond size_after", b -> b.putInt(1108, 5), 1108,
                        "page_no 5 in record 2 is beyond size_after 4"),
                seg("frame after end", b -> b.putLong(56, 13), 56,
                        "frame_no 13 of page_no 1 is outside the segment's range 7..12"));
    }

    static Stream<Arguments> corruptIndexes() {
        return Stream.of(
                idx("version 2", b -> b.putShort(8, (short) 2), 8, "unsupported page index format version"),
                idx("page size 256", b -> b.putInt(12, 256), 12, "page size: expected a power of two"),
                idx("header page count 4", b -> b.putInt(44, 4), 140,
                        "truncated page index: 140 bytes, expected 168 for 4 entries"),
                idx("unsorted", b -> b.putInt(52, 2), 80, "index entries out of order: page_no 2 in entry 1,"
                        + " expected > 2"),
                idx("duplicate", b -> b.putInt(108, 2), 108, "page_no 2 in entry 2, expected > 2"),
                idx("frame before start", b -> b.putLong(84, 6), 84, "frame_no 6 of page_no 2 is outside"),
                idx("wrong offset", b -> b.putLong(92, 597), 92, "offset of page_no 2: expected 596, actual 597"),
                idx("wrong length", b -> b.putInt(100, 511), 100, "length of page_no 2: expected the page size 512,"
                        + " actual 511"),
                idx("page beyond size_after", b -> b.putInt(108, 9), 108, "page_no 9 in entry 2 is beyond"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptSegments")
    void shouldRefuseStructurallyCorruptSegments(String name, byte[] bytes, long offset, String problem) {
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
                () -> CompactedSegment.read(ByteBuffer.wrap(bytes), WHERE));
        checkMessage(e, offset, problem);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptIndexes")
    void shouldRefuseStructurallyCorruptIndexes(String name, byte[] bytes, long offset, String problem) {
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
                () -> PageIndex.read(ByteBuffer.wrap(bytes), WHERE));
        checkMessage(e, offset, problem);
    }

    private static void checkMessage(CorruptSegmentException e, long offset, String problem) {
        assertEquals(offset, e.offset(), e.getMessage());
        assertEquals(WHERE, e.where());
        String message = e.getMessage();
        if (!message.startsWith(WHERE + ": ") || !message.contains(problem)
                || !message.endsWith("(at byte offset " + offset + ")")) {
            throw new AssertionError("Expected a message naming '" + problem + "' at " + offset + ", got: " + message);
        }
    }

    private static Arguments seg(String name, Consumer<ByteBuffer> edit, long offset, String problem) {
        ByteBuffer buf = ByteBuffer.wrap(OBJECTS.data().clone());
        edit.accept(buf);
        return Arguments.of(name, ObjectBytes.resealSegment(buf.array()), offset, problem);
    }

    private static Arguments idx(String name, Consumer<ByteBuffer> edit, long offset, String problem) {
        ByteBuffer buf = ByteBuffer.wrap(OBJECTS.index().clone());
        edit.accept(buf);
        return Arguments.of(name, ObjectBytes.resealIndex(buf.array()), offset, problem);
    }
}
