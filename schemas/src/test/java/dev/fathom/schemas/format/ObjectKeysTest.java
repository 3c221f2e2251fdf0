package dev.fathom.schemas.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fathom.schemas.InvalidNamespaceException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keys are deterministic, parse back to their segment id, and sort like frame ranges. */
class ObjectKeysTest {

    private static final SegmentId ID = new SegmentId(7, 12, 1_700_000_000_123L);
    private static final String STEM = "00000000000000000007-00000000000000000012-1700000000123";

    @Test
    void shouldBuildKeysWithAPrefix() {
        assertEquals("backups/eu/db1/segments/" + STEM + ".seg", ObjectKeys.dataKey("backups/eu", "db1", ID));
        assertEquals("backups/eu/db1/segments/" + STEM + ".idx", ObjectKeys.indexKey("backups/eu", "db1", ID));
        assertEquals("backups/eu/db1/segments/", ObjectKeys.segmentsPrefix("backups/eu", "db1"));
    }

    @Test
    void shouldBuildKeysWithoutAPrefix() {
        assertEquals("db1/segments/" + STEM + ".seg", ObjectKeys.dataKey("", "db1", ID));
        assertEquals("db1/segments/" + STEM + ".idx", ObjectKeys.indexKey("", "db1", ID));
        assertEquals("db1/segments/", ObjectKeys.segmentsPrefix("", "db1"));
    }

    @Test
    void shouldRefuseBadPrefixesAndNamespaces() {
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.dataKey("a/", "db1", ID));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.dataKey("/a", "db1", ID));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.dataKey(null, "db1", ID));
        assertThrows(InvalidNamespaceException.class, () -> ObjectKeys.dataKey("a", "db/1", ID));
        assertThrows(InvalidNamespaceException.class, () -> ObjectKeys.indexKey("a", "..", ID));
    }

    @Test
    void shouldParseTheKeysItBuilds() {
        for (String prefix : List.of("", "p", "a/b/c")) {
            assertEquals(Optional.of(ID), ObjectKeys.parseSegmentKey(ObjectKeys.dataKey(prefix, "db-1.x_y", ID)));
            assertEquals(Optional.of(ID), ObjectKeys.parseSegmentKey(ObjectKeys.indexKey(prefix, "db-1.x_y", ID)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "db1/segments/", "db1/segments/" + STEM, "db1/segments/" + STEM + ".tmp",
            "db1/segments/" + STEM + ".seg.bak", "segments/" + STEM + ".seg", "/segments/" + STEM + ".seg",
            "db1/other/" + STEM + ".seg", "db1/segments/x/" + STEM + ".seg", "db1/segments/7-12-5.seg",
            "db 1/segments/" + STEM + ".seg", "../segments/" + STEM + ".seg", "db1/segments/.seg",
            "db1/segments/00000000000000000013-00000000000000000012-1700000000123.seg"})
    void shouldReturnEmptyForAnythingElse(String key) {
        assertEquals(Optional.empty(), ObjectKeys.parseSegmentKey(key));
    }

    @Test
    void shouldReturnEmptyForNull() {
        assertEquals(Optional.empty(), ObjectKeys.parseSegmentKey(null));
    }

    @Test
    void shouldSortKeysInFrameRangeOrder() {
        Random random = new Random(11);
        List<SegmentId> ids = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            long start = 1 + random.nextInt(i % 2 == 0 ? 50 : Integer.MAX_VALUE) * (long) (1 + random.nextInt(1000));
            ids.add(new SegmentId(start, start + random.nextInt(100_000), random.nextLong(SegmentId.MAX_SEALED_AT_MS)));
        }
        ids.add(new SegmentId(9, 10, 5));
        ids.add(new SegmentId(10, 10, 5));
        ids.add(new SegmentId(100, 200, 5));
        List<String> keys = new ArrayList<>();
        for (SegmentId id : ids) {
            keys.add(ObjectKeys.dataKey("pre", "db1", id));
            keys.add(ObjectKeys.indexKey("pre", "db1", id));
        }
        keys.sort(Comparator.naturalOrder());
        List<SegmentId> byKey = keys.stream().map(k -> ObjectKeys.parseSegmentKey(k).orElseThrow()).toList();
        List<SegmentId> byRange = new ArrayList<>(byKey);
        byRange.sort(Comparator.comparingLong(SegmentId::startFrameNo).thenComparingLong(SegmentId::endFrameNo)
                .thenComparingLong(SegmentId::sealedAtMs));
        assertEquals(byRange, byKey);
    }
}
