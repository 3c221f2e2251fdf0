package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.DeadLetterReason;
import dev.fathom.schemas.SegmentChunk;
import dev.fathom.schemas.format.Frame;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.schemas.format.SegmentFrames;
import dev.fathom.testkit.TestSegments;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkAssemblerTest {

    private static final int PARTITION = 3;

    private final ChunkAssembler assembler = new ChunkAssembler(PARTITION);
    private final Random random = new Random(42);
    private final SealedSegment segment = TestSegments.random(11, 12, 512, 6, 1_700_000_000_000L, random);

    @Test
    void shouldAssembleASingleChunkSegment() {
        SegmentChunk only = TestChunks.of("db1", "default", segment, 1).get(0);

        AssembledSegment assembled = assembler.add(100, only).orElseThrow();

        assertTrue(assembled.isValid(), () -> assembled.refusal().reason());
        assertEquals(segment, assembled.segment());
        assertEquals(List.of(100L), assembled.source().offsets());
        assertEquals(segment.frameBytes(), assembled.bytes());
        assertEquals(0, assembler.openSegments());
    }

    @Test
    void shouldAssembleInterleavedSegmentsWithChunksOutOfOrder() {
        List<SegmentChunk> a = TestChunks.of("db1", "default", segment, 3);
        SealedSegment other = TestSegments.random(1, 5, 512, 4, 1_700_000_000_500L, random);
        List<SegmentChunk> b = TestChunks.of("db2", "default", other, 2);

        assertTrue(assembler.add(10, a.get(2)).isEmpty());
        assertTrue(assembler.add(11, b.get(0)).isEmpty());
        assertTrue(assembler.add(12, a.get(0)).isEmpty());
        assertEquals(2, assembler.openSegments());
        assertTrue(assembler.pendingBytes() > 0);
        AssembledSegment second = assembler.add(13, b.get(1)).orElseThrow();
        AssembledSegment first = assembler.add(14, a.get(1)).orElseThrow();

        assertEquals(other, second.segment());
        assertEquals(List.of(11L, 13L), second.source().offsets());
        assertEquals(segment, first.segment());
        assertEquals(List.of(10L, 12L, 14L), first.source().offsets());
        assertEquals(0, assembler.pendingBytes());
    }

    @Test
    void shouldIgnoreAnIdenticalDuplicateChunkButKeepItsOffset() {
        List<SegmentChunk> chunks = TestChunks.of("db1", "default", segment, 2);

        assembler.add(20, chunks.get(0));
        assertTrue(assembler.add(21, chunks.get(0)).isEmpty());
        AssembledSegment assembled = assembler.add(22, chunks.get(1)).orElseThrow();

        assertTrue(assembled.isValid());
        assertEquals(List.of(20L, 21L, 22L), assembled.source().offsets());
    }

    @Test
    void shouldRefuseADuplicateChunkWithDifferentContent() {
        List<SegmentChunk> chunks = TestChunks.of("db1", "default", segment, 2);

        assembler.add(20, chunks.get(0));
        assembler.add(21, TestChunks.corrupted(chunks.get(0)));
        AssembledSegment assembled = assembler.add(22, chunks.get(1)).orElseThrow();

        assertRefused(assembled, DeadLetterReason.CORRUPT, "has chunk 0 twice with different content");
        assertEquals(List.of(20L, 21L, 22L), assembled.source().offsets());
    }

    @Test
    void shouldRefuseAChunkWhoseFramesDoNotMatchItsChecksum() {
        List<SegmentChunk> chunks = TestChunks.of("db1", "default", segment, 3);

        assembler.add(120, chunks.get(0));
        assembler.add(121, TestChunks.corrupted(chunks.get(1)));
        AssembledSegment assembled = assembler.add(122, chunks.get(2)).orElseThrow();

        assertRefused(assembled, DeadLetterReason.CORRUPT, "chunk 1 of 3");
        assertTrue(assembled.refusal().reason().contains("segment " + segment.id().format() + " of namespace db1"));
        assertTrue(assembled.refusal().reason().endsWith("partition 3 offsets 120..122"),
                assembled.refusal().reason());
    }

    @Test
    void shouldRefuseASegmentWhoseChunksDoNotMatchTheSegmentChecksum() {
        SegmentChunk chunk = TestChunks.of("db1", "default", segment, 1).get(0);
        SegmentChunk wrong = SegmentChunk.newBuilder(chunk).setSegmentCrc32c(chunk.getSegmentCrc32c() + 1).build();

        assertRefused(assembler.add(5, wrong).orElseThrow(), DeadLetterReason.CORRUPT, "CRC32C over all 1 chunks");
    }

    @Test
    void shouldRefuseAChunkIndexOutsideTheCountOnceTheSegmentIsComplete() {
        List<SegmentChunk> chunks = TestChunks.of("db1", "default", segment, 2);
        SegmentChunk stray = SegmentChunk.newBuilder(chunks.get(1)).setChunkIndex(7).build();

        assertTrue(assembler.add(1, chunks.get(0)).isEmpty());
        assertTrue(assembler.add(2, stray).isEmpty());
        AssembledSegment assembled = assembler.add(3, chunks.get(1)).orElseThrow();

        assertRefused(assembled, DeadLetterReason.CORRUPT, "chunk index 7 of chunk count 2");
        assertEquals(List.of(1L, 2L, 3L), assembled.source().offsets());
    }

    @Test
    void shouldRefuseAnInvalidNamespace() {
        SegmentChunk chunk = TestChunks.of("../etc", "default", segment, 1).get(0);

        AssembledSegment assembled = assembler.add(9, chunk).orElseThrow();

        assertRefused(assembled, DeadLetterReason.INVALID_NAMESPACE, "Invalid namespace '../etc'");
    }

    @Test
    void shouldRefuseHeadersThatDisagreeWithTheFrames() {
        SegmentChunk chunk = TestChunks.of("db1", "default", segment, 1).get(0);
        SegmentChunk lying = SegmentChunk.newBuilder(chunk).setSealedAtMs(chunk.getSealedAtMs() + 1).build();

        assertRefused(assembler.add(9, lying).orElseThrow(), DeadLetterReason.INVALID_SEGMENT,
                "headers say segment id");
    }

    @Test
    void shouldRefuseFramesThatDoNotEndOnACommit() {
        SegmentChunk chunk = TestChunks.of("db1", "default", segment, 1).get(0);
        List<Frame> frames = segment.frames();
        Frame last = frames.get(frames.size() - 1);
        List<Frame> uncommitted = new ArrayList<>(frames.subList(0, frames.size() - 1));
        uncommitted.add(new Frame(last.pageNo(), 0, last.frameNo(), last.page()));
        byte[] payload = SegmentFrames.encode(uncommitted);
        SegmentChunk bad = SegmentChunk.newBuilder(chunk).setFrames(ByteBuffer.wrap(payload))
                .setFramesCrc32c(TestChunks.crc32c(payload)).setSegmentCrc32c(TestChunks.crc32c(payload)).build();

        assertRefused(assembler.add(9, bad).orElseThrow(), DeadLetterReason.INVALID_SEGMENT, "not a commit frame");
    }

    @Test
    void shouldRefuseTruncatedFrames() {
        SegmentChunk chunk = TestChunks.of("db1", "default", segment, 1).get(0);
        byte[] payload = new byte[chunk.getFrames().remaining() - 3];
        chunk.getFrames().duplicate().get(payload);
        SegmentChunk bad = SegmentChunk.newBuilder(chunk).setFrames(ByteBuffer.wrap(payload))
                .setFramesCrc32c(TestChunks.crc32c(payload)).setSegmentCrc32c(TestChunks.crc32c(payload)).build();

        assertRefused(assembler.add(9, bad).orElseThrow(), DeadLetterReason.CORRUPT, "truncated frame record");
    }

    private static void assertRefused(AssembledSegment assembled, DeadLetterReason code, String fragment) {
        Optional<Refusal> refusal = Optional.ofNullable(assembled.refusal());
        assertTrue(refusal.isPresent(), "expected a refusal");
        assertEquals(code, refusal.get().code(), refusal.get().reason());
        assertTrue(refusal.get().reason().contains(fragment),
                "reason should contain '" + fragment + "': " + refusal.get().reason());
    }
}
