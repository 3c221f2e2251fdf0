package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PartitionStateTest {

    private final PartitionState partition = new PartitionState(0, 1, Map.of("a", 256L));

    @Test
    void shouldAcceptTheCommittedDurableFrameWhenNothingWaitsInTheBatch() {
        assertEquals(256, partition.acceptedFrameNo("a"));
        assertEquals(0, partition.acceptedFrameNo("b"));
    }

    @Test
    void shouldCheckTheNextSegmentAgainstTheUploadedOneWithoutMovingTheDurableFrame() {
        partition.uploaded("a", 512);

        assertEquals(512, partition.acceptedFrameNo("a"), "the next segment follows the uploaded one");
        assertEquals(256, partition.durableFrameNo("a"), "nothing is durable before the commit");
    }

    @Test
    void shouldKeepALaterUploadWhenAnEarlierSegmentCommits() {
        partition.uploaded("a", 512);
        partition.uploaded("a", 768);

        partition.advance("a", 512);

        assertEquals(512, partition.durableFrameNo("a"));
        assertEquals(768, partition.acceptedFrameNo("a"), "the segment after it still waits in the batch");
        partition.advance("a", 768);
        assertEquals(768, partition.acceptedFrameNo("a"));
    }
}
