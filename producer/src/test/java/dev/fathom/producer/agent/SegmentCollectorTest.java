package dev.fathom.producer.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.format.SealedSegment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentCollectorTest {

    private static final int PAGE = 512;
    private static final Instant T0 = Instant.parse("2026-11-25T22:00:00Z");

    @Test
    void shouldSealWhenTheSizeIsReachedAtACommit() {
        SegmentCollector collector = new SegmentCollector(PAGE, 5, new SealPolicy(3 * PAGE, Duration.ofHours(1)));
        collector.add(transaction(0, 2), T0);
        assertFalse(collector.isDue(T0), "2 pages < 3 pages");
        collector.add(transaction(2, 1), T0);
        assertTrue(collector.isDue(T0), "3 pages reached");

        SealedSegment segment = collector.seal(T0);
        assertEquals(5, segment.startFrameNo());
        assertEquals(7, segment.endFrameNo());
        assertEquals(8, collector.nextFrameNo(), "the next segment continues the frame numbers");
        assertTrue(collector.isEmpty());
        assertFalse(collector.isDue(T0.plusSeconds(3600)), "nothing collected, nothing due");
    }

    @Test
    void shouldSealWhenTheOldestTransactionReachesTheMaximumAge() {
        SegmentCollector collector = new SegmentCollector(PAGE, 1, new SealPolicy(1 << 20, Duration.ofMillis(1000)));
        collector.add(transaction(0, 1), T0);
        collector.add(transaction(1, 1), T0.plusMillis(900));

        assertFalse(collector.isDue(T0.plusMillis(999)));
        assertTrue(collector.isDue(T0.plusMillis(1000)), "age counts from the oldest transaction");
        assertEquals(T0.plusMillis(1000).toEpochMilli(), collector.seal(T0.plusMillis(1000)).sealedAtMs());
    }

    @Test
    void shouldRefuseFramesThatDoNotEndOnACommit() {
        SegmentCollector collector = new SegmentCollector(PAGE, 1, new SealPolicy(1, Duration.ZERO));
        List<WalFrame> torn = List.of(new WalFrame(0, 1, 0, new byte[PAGE]));

        assertThrows(IllegalArgumentException.class, () -> collector.add(torn, T0));
    }

    /** Frames of one transaction at WAL indexes {@code first}.., the last one committing. */
    private static List<WalFrame> transaction(int first, int frames) {
        return java.util.stream.IntStream.range(0, frames)
                .mapToObj(i -> new WalFrame(first + i, first + i + 1, i == frames - 1 ? first + frames : 0,
                        new byte[PAGE]))
                .toList();
    }
}
