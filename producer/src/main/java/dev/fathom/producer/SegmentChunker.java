package dev.fathom.producer;

import dev.fathom.schemas.SegmentChunk;
import dev.fathom.schemas.format.EncodedSegment;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.schemas.format.SegmentFrames;
import dev.fathom.schemas.format.SegmentId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Splits a sealed segment into {@link SegmentChunk} records: its {@link SegmentFrames} payload cut at frame
 * boundaries into pieces of at most {@code chunk.max.bytes}, each with its own CRC32C and the whole payload's CRC32C.
 * Deterministic: the same segment gives the same chunks. Immutable; thread-safe.
 */
final class SegmentChunker {

    private final int maxChunkBytes;
    private final String producerId;

    /**
     * @param maxChunkBytes largest frames payload per chunk; must hold one frame of the largest page size
     * @param producerId the node id, recorded in every chunk for diagnostics
     */
    SegmentChunker(int maxChunkBytes, String producerId) {
        if (maxChunkBytes < SegmentFrames.recordSize(65536)) {
            throw new IllegalArgumentException("Chunk size " + maxChunkBytes + " cannot hold one frame of a 65536-byte"
                    + " page (" + SegmentFrames.recordSize(65536) + " bytes)");
        }
        this.maxChunkBytes = maxChunkBytes;
        this.producerId = producerId;
    }

    /** Returns the segment's chunks in order; chunk i covers payload bytes after chunks 0..i-1. */
    List<SegmentChunk> chunk(String namespace, String profile, SealedSegment segment) {
        return chunk(namespace, profile, EncodedSegment.of(segment));
    }

    /**
     * Returns the chunks of a segment already in its wire encoding (e.g. read back from an outbox entry) in order.
     * The chunks' {@code frames} are views of {@code segment}'s payload: nothing is decoded or copied.
     */
    List<SegmentChunk> chunk(String namespace, String profile, EncodedSegment segment) {
        ByteBuffer payload = segment.frames();
        int payloadBytes = payload.remaining();
        int recordSize = SegmentFrames.recordSize(segment.pageSize());
        int bytesPerChunk = (maxChunkBytes / recordSize) * recordSize;
        int chunkCount = (payloadBytes + bytesPerChunk - 1) / bytesPerChunk;
        int segmentCrc = crc32c(payload, 0, payloadBytes);
        SegmentId id = segment.id();
        List<SegmentChunk> chunks = new ArrayList<>(chunkCount);
        for (int index = 0; index < chunkCount; index++) {
            int offset = index * bytesPerChunk;
            int length = Math.min(bytesPerChunk, payloadBytes - offset);
            chunks.add(SegmentChunk.newBuilder()
                    .setNamespace(namespace)
                    .setProfile(profile)
                    .setSegmentId(id.format())
                    .setStartFrameNo(id.startFrameNo())
                    .setEndFrameNo(id.endFrameNo())
                    .setSealedAtMs(id.sealedAtMs())
                    .setPageSize(segment.pageSize())
                    .setSizeAfter(segment.sizeAfter())
                    .setChunkIndex(index)
                    .setChunkCount(chunkCount)
                    // A view, not a copy: the payload of a large segment is already tens of MiB.
                    .setFrames(payload.duplicate().position(offset).limit(offset + length).slice())
                    .setFramesCrc32c(crc32c(payload, offset, length))
                    .setSegmentCrc32c(segmentCrc)
                    .setProducerId(producerId)
                    .build());
        }
        return chunks;
    }

    private static int crc32c(ByteBuffer bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes.duplicate().position(offset).limit(offset + length));
        return (int) crc.getValue();
    }
}
