package dev.fathom.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.format.Frame;
import dev.fathom.schemas.format.SealedSegment;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TestSegmentsTest {

    @Test
    void shouldBuildAValidSegment() {
        SealedSegment s = TestSegments.random(5, 40, 4096, 10, 1_700_000_000_000L, new Random(1));
        assertEquals(5, s.startFrameNo());
        assertEquals(44, s.endFrameNo());
        assertEquals(4096, s.pageSize());
        assertTrue(s.frames().get(39).isCommit());
        assertTrue(s.frames().stream().allMatch(f -> f.pageNo() >= 1 && f.pageNo() <= 10));
        assertTrue(s.sizeAfter() >= s.frames().stream().mapToInt(Frame::pageNo).max().orElseThrow());
    }

    @Test
    void shouldChainContiguousSegmentsWithGrowingSealTimeAndNonShrinkingSize() {
        List<SealedSegment> chain = TestSegments.chain(4, 1, 10, 512, 50, 1000, new Random(2));
        assertEquals(4, chain.size());
        for (int i = 1; i < chain.size(); i++) {
            assertEquals(chain.get(i - 1).endFrameNo() + 1, chain.get(i).startFrameNo());
            assertEquals(chain.get(i - 1).sealedAtMs() + 1000, chain.get(i).sealedAtMs());
            assertTrue(chain.get(i).sizeAfter() >= chain.get(i - 1).sizeAfter());
        }
        assertEquals(40, chain.get(3).endFrameNo());
    }

    @Test
    void shouldBeDeterministicForASeed() {
        assertEquals(TestSegments.random(1, 8, 512, 4, 9, new Random(3)), TestSegments.random(1, 8, 512, 4, 9,
                new Random(3)));
    }
}
