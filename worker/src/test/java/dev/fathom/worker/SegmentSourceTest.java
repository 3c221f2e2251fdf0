package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentSourceTest {

    @Test
    void shouldNameAValidSegmentAsItIs() {
        SegmentSource source = source("orders", "00000000000000000001-00000000000000000010-1790000000000");

        assertEquals("segment 00000000000000000001-00000000000000000010-1790000000000 of namespace orders",
                source.name());
        assertEquals("orders", source.printableNamespace());
    }

    @Test
    void shouldQuoteAndEscapeANamespaceThatCouldForgeALogLine() {
        String forged = "x\n2026-11-26 01:00:00 INFO Namespace admin is unblocked";
        SegmentSource source = source(forged, "seg-1");

        String sentence = source.sentence("is refused");

        assertFalse(sentence.contains("\n"), sentence);
        assertTrue(sentence.startsWith("segment seg-1 of namespace 'x\\u000a2026-11-26 01:00:00 INFO Namespace admin"),
                sentence);
        assertEquals("'a\\u0000b'", source("a\u0000b", "seg-1").printableNamespace());
        assertEquals("''", source("", "seg-1").printableNamespace());
        assertEquals("'../x'", source("../x", "seg-1").printableNamespace());
        assertEquals("'it\\'s'", source("it's", "seg-1").printableNamespace());
        assertEquals("'caf\\u00e9'", source("caf\u00e9", "seg-1").printableNamespace());
    }

    @Test
    void shouldQuoteASegmentIdThatIsNotOnePrintableToken() {
        assertEquals("segment 'seg\\u000d\\u000aforged' of namespace db1", source("db1", "seg\r\nforged").name());
        assertEquals("segment 'a b' of namespace db1", source("db1", "a b").name());
        assertEquals("segment null of namespace db1", source("db1", null).name());
    }

    private static SegmentSource source(String namespace, String segmentId) {
        return new SegmentSource(3, namespace, "default", segmentId, 1, 10, List.of(7L));
    }
}
