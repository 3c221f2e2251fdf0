package dev.fathom.producer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.AvroSerde;
import dev.fathom.schemas.FathomSerdes;
import dev.fathom.schemas.SegmentChunk;
import dev.fathom.schemas.format.EncodedSegment;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.schemas.format.SegmentFrames;
import dev.fathom.testkit.TestSegments;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class SegmentChunkerTest {

    private static final int MIB = 1024 * 1024;

    @Test
    void shouldCutChunksAtFrameBoundariesWithinTheMaximum() {
        SealedSegment segment = TestSegments.random(7, 100, 4096, 30, 1_700_000_000_000L, new Random(1));
        List<SegmentChunk> chunks = new SegmentChunker(100_000, "node-1").chunk("db1", "default", segment);

        assertEquals(5, chunks.size(), "24 frames of 4112 bytes fit in 100000 bytes: 24+24+24+24+4");
        for (SegmentChunk chunk : chunks) {
            int length = chunk.getFrames().remaining();
            assertTrue(length <= 100_000, "chunk " + chunk.getChunkIndex() + " has " + length + " bytes");
            assertEquals(0, length % SegmentFrames.recordSize(4096), "chunk holds whole frames only");
        }
        assertEquals(segment.frames(), decode(chunks, 4096));
    }

    @Test
    void shouldDescribeTheSegmentInEveryChunk() {
        SealedSegment segment = TestSegments.random(42, 60, 1024, 10, 1_700_000_123_456L, new Random(2));
        List<SegmentChunk> chunks = new SegmentChunker(65_552, "node-7").chunk("db.x", "cold", segment);

        for (int i = 0; i < chunks.size(); i++) {
            SegmentChunk chunk = chunks.get(i);
            assertEquals("db.x", chunk.getNamespace());
            assertEquals("cold", chunk.getProfile());
            assertEquals(segment.id().format(), chunk.getSegmentId());
            assertEquals(42, chunk.getStartFrameNo());
            assertEquals(segment.endFrameNo(), chunk.getEndFrameNo());
            assertEquals(1_700_000_123_456L, chunk.getSealedAtMs());
            assertEquals(1024, chunk.getPageSize());
            assertEquals(segment.sizeAfter(), chunk.getSizeAfter());
            assertEquals(i, chunk.getChunkIndex());
            assertEquals(chunks.size(), chunk.getChunkCount());
            assertEquals("node-7", chunk.getProducerId());
        }
    }

    @Test
    void shouldChecksumEachChunkAndTheWholePayload() {
        SealedSegment segment = TestSegments.random(1, 50, 4096, 20, 1L, new Random(3));
        List<SegmentChunk> chunks = new SegmentChunker(70_000, "n").chunk("db1", "default", segment);

        byte[] payload = SegmentFrames.encode(segment.frames());
        for (SegmentChunk chunk : chunks) {
            assertEquals(crc32c(bytes(chunk.getFrames())), chunk.getFramesCrc32c(), "frames_crc32c");
            assertEquals(crc32c(payload), chunk.getSegmentCrc32c(), "segment_crc32c");
        }
        assertArrayEquals(payload, concat(chunks));
    }

    @Test
    void shouldSplitA40MibSegmentOf4KibPagesIntoChunksOfAtMost1Mib() {
        SealedSegment segment = TestSegments.random(1, 10_240, 4096, 2000, 1L, new Random(4));
        List<SegmentChunk> chunks = new SegmentChunker(MIB, "n").chunk("big", "default", segment);

        assertTrue(chunks.size() >= 40, "got " + chunks.size() + " chunks");
        chunks.forEach(c -> assertTrue(c.getFrames().remaining() <= MIB, "chunk " + c.getChunkIndex()));
        assertEquals(segment.frames(), decode(chunks, 4096));
    }

    @Test
    void shouldFitWhole64KibFramesInto1MibChunks() {
        SealedSegment segment = TestSegments.random(1, 40, 65536, 40, 1L, new Random(5));
        List<SegmentChunk> chunks = new SegmentChunker(MIB, "n").chunk("wide", "default", segment);

        assertEquals(3, chunks.size(), "15 frames of 65552 bytes per 1 MiB chunk: 15+15+10");
        assertEquals(15 * 65_552, chunks.get(0).getFrames().remaining());
        assertEquals(segment.frames(), decode(chunks, 65536));
    }

    @Test
    void shouldPutOneFrameInAChunkOfTheSmallestAllowedSize() {
        SealedSegment segment = TestSegments.random(1, 3, 65536, 3, 1L, new Random(6));
        List<SegmentChunk> chunks = new SegmentChunker(65_552, "n").chunk("wide", "default", segment);

        assertEquals(3, chunks.size());
        assertEquals(segment.frames(), decode(chunks, 65536));
    }

    @Test
    void shouldRejectAChunkSizeThatCannotHoldTheLargestFrame() {
        assertThrows(IllegalArgumentException.class, () -> new SegmentChunker(65_551, "n"));
    }

    @Test
    void shouldSerializeTheSameBytesEachTimeSoRetriedTransactionsResendEverything() {
        SealedSegment segment = TestSegments.random(1, 30, 4096, 10, 1L, new Random(7));
        List<SegmentChunk> chunks = new SegmentChunker(65_552, "n").chunk("db1", "default", segment);
        AvroSerde<SegmentChunk> serde = FathomSerdes.segmentChunk();

        for (SegmentChunk chunk : chunks) {
            byte[] first = serde.serializer().serialize("t", chunk);
            byte[] second = serde.serializer().serialize("t", chunk);
            assertArrayEquals(first, second);
            SegmentChunk decoded = serde.deserializer().deserialize("t", first);
            assertArrayEquals(bytes(chunk.getFrames()), bytes(decoded.getFrames()));
        }
        assertEquals(segment.frames(), decode(chunks, 4096));
    }

    @Test
    void shouldChunkStoredFrameBytesInPlaceExactlyAsTheDecodedSegment() {
        SealedSegment segment = TestSegments.random(5, 70, 4096, 40, 1_700_000_000_999L, new Random(8));
        byte[] frames = SegmentFrames.encode(segment.frames());
        byte[] file = new byte[37 + frames.length + 4]; // as in an outbox entry: a header before, a CRC after
        System.arraycopy(frames, 0, file, 37, frames.length);
        EncodedSegment stored = EncodedSegment.verify(4096, segment.sealedAtMs(),
                ByteBuffer.wrap(file, 37, frames.length));
        SegmentChunker chunker = new SegmentChunker(100_000, "n");
        AvroSerde<SegmentChunk> serde = FathomSerdes.segmentChunk();

        List<SegmentChunk> fromStored = chunker.chunk("db1", "default", stored);
        List<SegmentChunk> fromSegment = chunker.chunk("db1", "default", segment);

        assertEquals(segment.id(), stored.id());
        assertEquals(fromSegment.size(), fromStored.size());
        for (int i = 0; i < fromSegment.size(); i++) {
            assertArrayEquals(serde.serializer().serialize("t", fromSegment.get(i)),
                    serde.serializer().serialize("t", fromStored.get(i)), "chunk " + i);
        }
    }

    static List<dev.fathom.schemas.format.Frame> decode(List<SegmentChunk> chunks, int pageSize) {
        return SegmentFrames.decode(ByteBuffer.wrap(concat(chunks)), pageSize, "test");
    }

    static byte[] concat(List<SegmentChunk> chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        chunks.forEach(c -> out.writeBytes(bytes(c.getFrames())));
        return out.toByteArray();
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }

    static int crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }
}
