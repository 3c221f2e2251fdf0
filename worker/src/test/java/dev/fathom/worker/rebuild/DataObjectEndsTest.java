package dev.fathom.worker.rebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.format.CompactedSegmentObjects;
import dev.fathom.schemas.format.CompactedSegmentWriter;
import dev.fathom.schemas.format.CorruptSegmentException;
import dev.fathom.schemas.format.PageIndex;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.TestSegments;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The whole-object CRC32C of a {@code .seg} derived from its two ends equals the writer's; bad ends are refused. */
class DataObjectEndsTest {

    private static final String WHERE = "s3://b/ns/segments/x.seg";

    @Test
    void shouldCombineCrcsOfPartsIntoTheCrcOfTheConcatenation() {
        Random random = new Random(11);
        for (int lengthA : new int[] {0, 1, 7, 52, 1000}) {
            for (int lengthB : new int[] {0, 1, 4, 5, 63, 4096, 70_001}) {
                byte[] a = new byte[lengthA];
                byte[] b = new byte[lengthB];
                random.nextBytes(a);
                random.nextBytes(b);
                byte[] both = Arrays.copyOf(a, lengthA + lengthB);
                System.arraycopy(b, 0, both, lengthA, lengthB);
                assertEquals(crc(both), Crc32cCombiner.combine(crc(a), crc(b), lengthB), lengthA + "+" + lengthB);
            }
        }
    }

    @Test
    void shouldDeriveTheWritersWholeObjectCrcFromHeaderAndTrailer() {
        Random random = new Random(5);
        for (SealedSegment segment : TestSegments.chain(5, 1, 30, 512, 12, 1_700_000_000_000L, random)) {
            CompactedSegmentObjects objects = CompactedSegmentWriter.write(segment);
            assertEquals(objects.dataCrc32c(), ends(objects.data()).verifiedCrc32c(index(objects), objects.index(),
                    WHERE), segment.id().toString());
        }
    }

    @Test
    void shouldRefuseEndsThatDisagreeWithTheIndex() {
        Random random = new Random(9);
        var chain = TestSegments.chain(2, 1, 20, 512, 8, 1_700_000_000_000L, random);
        CompactedSegmentObjects first = CompactedSegmentWriter.write(chain.get(0));
        CompactedSegmentObjects second = CompactedSegmentWriter.write(chain.get(1));

        byte[] flipped = first.data().clone();
        flipped[20] ^= 1; // a frame number in the header
        CorruptSegmentException header = assertThrows(CorruptSegmentException.class,
                () -> ends(flipped).verifiedCrc32c(index(first), first.index(), WHERE));
        assertTrue(header.getMessage().startsWith(WHERE), header.getMessage());

        assertThrows(CorruptSegmentException.class, // the .seg of another segment under this index
                () -> ends(second.data()).verifiedCrc32c(index(first), first.index(), WHERE));

        byte[] data = first.data();
        DataObjectEnds wrongSize = new DataObjectEnds(Arrays.copyOf(data, 52),
                Arrays.copyOfRange(data, data.length - 16, data.length), data.length + 512L);
        CorruptSegmentException size = assertThrows(CorruptSegmentException.class,
                () -> wrongSize.verifiedCrc32c(index(first), first.index(), WHERE));
        assertTrue(size.getMessage().contains("size " + (data.length + 512)), size.getMessage());
    }

    private static DataObjectEnds ends(byte[] data) {
        return new DataObjectEnds(Arrays.copyOf(data, DataObjectEnds.HEADER_SIZE),
                Arrays.copyOfRange(data, data.length - DataObjectEnds.TRAILER_SIZE, data.length), data.length);
    }

    private static PageIndex index(CompactedSegmentObjects objects) {
        return PageIndex.read(ByteBuffer.wrap(objects.index()), "index");
    }

    private static int crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }
}
