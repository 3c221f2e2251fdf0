package dev.fathom.worker.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FrameRangeQueryTest {

    @Test
    void shouldDefaultToEveryFrame() {
        assertEquals(new FrameRangeQuery(1, Long.MAX_VALUE), FrameRangeQuery.parse(null));
        assertEquals(new FrameRangeQuery(1, Long.MAX_VALUE), FrameRangeQuery.parse(""));
        assertEquals(new FrameRangeQuery(1, Long.MAX_VALUE), FrameRangeQuery.parse("other=x"));
    }

    @Test
    void shouldParseBothBounds() {
        assertEquals(new FrameRangeQuery(10, 20), FrameRangeQuery.parse("from=10&to=20"));
        assertEquals(new FrameRangeQuery(0, 5), FrameRangeQuery.parse("to=5&from=0"));
    }

    @Test
    void shouldNameTheBadParameter() {
        assertMessageContains("from=abc", "'from'", "'abc'");
        assertMessageContains("to=-1", "'to'", "'-1'");
        assertMessageContains("to=", "'to'", "''");
        assertMessageContains("from=99999999999999999999", "'from'");
        assertMessageContains("from=7&to=3", "'from' (7)", "'to' (3)");
    }

    private static void assertMessageContains(String query, String... parts) {
        String message = assertThrows(MetaHttpHandler.BadRequestException.class,
                () -> FrameRangeQuery.parse(query)).getMessage();
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "'" + message + "' should contain " + part);
        }
    }
}
