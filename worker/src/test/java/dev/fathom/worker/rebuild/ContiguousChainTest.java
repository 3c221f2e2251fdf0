package dev.fathom.worker.rebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.producer.restore.StoredSegment;
import dev.fathom.schemas.format.SegmentId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rebuild declares durable only the chain from frame 1, up to the first gap or overlap. */
class ContiguousChainTest {

    @Test
    void shouldTakeEverySegmentOfAWholeChain() {
        ContiguousChain chain = ContiguousChain.of("db", List.of(s(1, 10), s(11, 20), s(21, 21)));
        assertEquals(3, chain.segments().size());
        assertEquals(21, chain.endFrameNo());
        assertNull(chain.problem());
    }

    @Test
    void shouldStopAtTheFirstGapAndSayWhichFramesAreMissing() {
        ContiguousChain chain = ContiguousChain.of("db", List.of(s(1, 10), s(11, 20), s(31, 40), s(41, 50)));
        assertEquals(List.of(s(1, 10), s(11, 20)), chain.segments());
        assertEquals(20, chain.endFrameNo());
        assertTrue(chain.problem().contains("missing frames 21..30"), chain.problem());
    }

    @Test
    void shouldPublishNothingWhenFrameOneIsMissing() {
        ContiguousChain chain = ContiguousChain.of("db", List.of(s(5, 10)));
        assertTrue(chain.segments().isEmpty());
        assertEquals(0, chain.endFrameNo());
        assertTrue(chain.problem().contains("missing frames 1..4"), chain.problem());
    }

    @Test
    void shouldStopAtAnOverlap() {
        ContiguousChain chain = ContiguousChain.of("db", List.of(s(1, 10), s(5, 20), s(21, 30)));
        assertEquals(List.of(s(1, 10)), chain.segments());
        assertTrue(chain.problem().contains("overlapping"), chain.problem());
    }

    @Test
    void shouldBeEmptyWithoutSegments() {
        ContiguousChain chain = ContiguousChain.of("db", List.of());
        assertTrue(chain.segments().isEmpty());
        assertNull(chain.problem());
    }

    private static StoredSegment s(long start, long end) {
        SegmentId id = new SegmentId(start, end, 1000 + end);
        return new StoredSegment(id, "db/segments/" + id + ".seg", "db/segments/" + id + ".idx", 100);
    }
}
