package dev.fathom.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogKeyTest {
    @Test
    void shouldPadEndFrameNoToTwentyDigits() {
        assertEquals("db1/00000000000000000042", CatalogKey.of("db1", 42));
        assertEquals("db1/09223372036854775807", CatalogKey.of("db1", Long.MAX_VALUE));
    }

    @Test
    void shouldGiveRangeBoundsHoldingExactlyOneNamespace() {
        assertEquals("db1/", CatalogKey.lowerBound("db1"));
        assertEquals("db1/~", CatalogKey.upperBound("db1"));
        for (String other : List.of("db", "db1.x", "db1-", "db10", "db1_", "db2", "DB1")) {
            String key = CatalogKey.of(other, 7);
            boolean inside = compareBytes(key, CatalogKey.lowerBound("db1")) >= 0
                    && compareBytes(key, CatalogKey.upperBound("db1")) <= 0;
            assertEquals(false, inside, key + " must fall outside the range of db1");
        }
        for (long end : new long[] {0, 1, 99, Long.MAX_VALUE}) {
            String key = CatalogKey.of("db1", end);
            assertTrue(compareBytes(key, CatalogKey.lowerBound("db1")) >= 0
                    && compareBytes(key, CatalogKey.upperBound("db1")) <= 0, key);
        }
    }

    @Test
    void shouldSortByEndFrameNoAsBytes() {
        assertTrue(compareBytes(CatalogKey.of("db1", 9), CatalogKey.of("db1", 10)) < 0);
        assertTrue(compareBytes(CatalogKey.of("db1", 999_999), CatalogKey.of("db1", 1_000_000)) < 0);
    }

    @Test
    void shouldParseNamespaceBack() {
        assertEquals("db.v1-x_y", CatalogKey.namespaceOf(CatalogKey.of("db.v1-x_y", 5)));
    }

    @Test
    void shouldRejectBadInput() {
        assertThrows(InvalidNamespaceException.class, () -> CatalogKey.of("a/b", 1));
        assertThrows(InvalidNamespaceException.class, () -> CatalogKey.lowerBound(".."));
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> CatalogKey.of("db1", -1));
        assertEquals("Catalog key of namespace db1 needs an end frame number >= 0, got -1", negative.getMessage());
        IllegalArgumentException noSlash = assertThrows(IllegalArgumentException.class,
                () -> CatalogKey.namespaceOf("db1"));
        assertEquals("Catalog key 'db1' is not of the form <namespace>/<end_frame_no:020>", noSlash.getMessage());
    }

    private static int compareBytes(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
