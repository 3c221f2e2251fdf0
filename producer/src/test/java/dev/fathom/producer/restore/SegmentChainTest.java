package dev.fathom.producer.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.format.SegmentId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentChainTest {

    private static final String NS = "db-1";

    /** Segments 1-10 @1000, 11-20 @2000, 21-35 @3000, given out of order. */
    private static final List<StoredSegment> STORED = List.of(segment(21, 35, 3000), segment(1, 10, 1000),
            segment(11, 20, 2000));

    private static StoredSegment segment(long start, long end, long sealedAtMs) {
        SegmentId id = new SegmentId(start, end, sealedAtMs);
        return new StoredSegment(id, NS + "/segments/" + id.format() + ".seg",
                NS + "/segments/" + id.format() + ".idx", 100);
    }

    private static List<Long> ends(List<StoredSegment> chain) {
        return chain.stream().map(s -> s.id().endFrameNo()).toList();
    }

    @Test
    void shouldResolveLatestToTheWholeChainOldestFirst() {
        assertEquals(List.of(10L, 20L, 35L), ends(SegmentChain.resolve(NS, STORED, RestoreTarget.latest())));
    }

    @Test
    void shouldResolveAFrameToTheNewestSegmentEndingAtOrBeforeIt() {
        assertEquals(List.of(10L), ends(SegmentChain.resolve(NS, STORED, RestoreTarget.atFrame(10))));
        assertEquals(List.of(10L), ends(SegmentChain.resolve(NS, STORED, RestoreTarget.atFrame(19))));
        assertEquals(List.of(10L, 20L), ends(SegmentChain.resolve(NS, STORED, RestoreTarget.atFrame(20))));
        assertEquals(List.of(10L, 20L, 35L), ends(SegmentChain.resolve(NS, STORED, RestoreTarget.atFrame(1000))));
    }

    @Test
    void shouldResolveATimeToTheNewestSegmentSealedAtOrBeforeIt() {
        assertEquals(List.of(10L), ends(SegmentChain.resolve(NS, STORED,
                RestoreTarget.atTime(Instant.ofEpochMilli(1999)))));
        assertEquals(List.of(10L, 20L), ends(SegmentChain.resolve(NS, STORED,
                RestoreTarget.atTime(Instant.ofEpochMilli(2000)))));
        assertEquals(List.of(10L, 20L, 35L), ends(SegmentChain.resolve(NS, STORED,
                RestoreTarget.atTime(Instant.ofEpochMilli(5000)))));
    }

    @Test
    void shouldRefuseATargetBeforeTheFirstSegment() {
        RestoreException byFrame = assertThrows(RestoreException.class,
                () -> SegmentChain.resolve(NS, STORED, RestoreTarget.atFrame(9)));
        assertTrue(byFrame.getMessage().contains(NS), byFrame.getMessage());
        assertThrows(RestoreException.class, () -> SegmentChain.resolve(NS, STORED,
                RestoreTarget.atTime(Instant.ofEpochMilli(999))));
        assertThrows(RestoreException.class, () -> SegmentChain.resolve(NS, List.of(), RestoreTarget.latest()));
    }

    @Test
    void shouldNameTheMissingFramesOfAGap() {
        List<StoredSegment> gap = new ArrayList<>(STORED);
        gap.removeIf(s -> s.id().startFrameNo() == 11);
        RestoreException e = assertThrows(RestoreException.class,
                () -> SegmentChain.resolve(NS, gap, RestoreTarget.latest()));
        assertTrue(e.getMessage().contains("missing frames 11..20") && e.getMessage().contains("'" + NS + "'"),
                e.getMessage());
        // the gap does not matter for a target before it
        assertEquals(List.of(10L), ends(SegmentChain.resolve(NS, gap, RestoreTarget.atFrame(15))));
    }

    @Test
    void shouldRefuseAChainNotStartingAtFrameOne() {
        RestoreException e = assertThrows(RestoreException.class, () -> SegmentChain.resolve(NS,
                List.of(segment(5, 10, 1000)), RestoreTarget.latest()));
        assertTrue(e.getMessage().contains("missing frames 1..4"), e.getMessage());
    }

    @Test
    void shouldRefuseOverlappingSegments() {
        RestoreException e = assertThrows(RestoreException.class, () -> SegmentChain.resolve(NS,
                List.of(segment(1, 10, 1000), segment(8, 20, 2000)), RestoreTarget.latest()));
        assertTrue(e.getMessage().contains("overlapping"), e.getMessage());
    }

    @Test
    void shouldRejectAFrameNumberBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> RestoreTarget.atFrame(0));
    }
}
