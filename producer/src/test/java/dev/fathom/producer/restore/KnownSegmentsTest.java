package dev.fathom.producer.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fathom.schemas.format.SegmentId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnownSegmentsTest {

    /** An in-memory catalog that counts the questions it was asked. */
    private static final class CountingCatalog implements SegmentCatalog {
        final List<StoredSegment> stored = new ArrayList<>();
        int fullListings;
        int incremental;

        @Override
        public List<StoredSegment> segments(String namespace) {
            fullListings++;
            return List.copyOf(stored);
        }

        @Override
        public List<StoredSegment> segmentsStartingAfter(String namespace, long frameNo) {
            incremental++;
            return stored.stream().filter(s -> s.id().startFrameNo() > frameNo).toList();
        }
    }

    private static StoredSegment segment(long start, long end) {
        SegmentId id = new SegmentId(start, end, start);
        return new StoredSegment(id, id.format() + ".seg", id.format() + ".idx", 100);
    }

    @Test
    void shouldAskOnlyForWhatMayBeNewerThanTheKnownChain() {
        CountingCatalog catalog = new CountingCatalog();
        catalog.stored.addAll(List.of(segment(1, 10), segment(11, 20)));
        KnownSegments known = new KnownSegments(catalog);

        assertEquals(catalog.stored, known.covering("db", 15));
        assertEquals(catalog.stored, known.covering("db", 20));
        assertEquals(1, catalog.fullListings, "frames up to 20 are covered by what was listed");
        assertEquals(0, catalog.incremental);

        catalog.stored.add(segment(21, 30));
        assertEquals(catalog.stored, known.covering("db", 25));
        assertEquals(catalog.stored, known.covering("db", Long.MAX_VALUE));
        assertEquals(1, catalog.fullListings);
        assertEquals(2, catalog.incremental, "once for frame 25, once because 'latest' always asks");
    }

    @Test
    void shouldNotRememberAChainWithAGap() {
        CountingCatalog catalog = new CountingCatalog();
        catalog.stored.addAll(List.of(segment(1, 10), segment(21, 30)));
        KnownSegments known = new KnownSegments(catalog);

        known.covering("db", 5);
        known.covering("db", 5);

        assertEquals(2, catalog.fullListings);
    }
}
