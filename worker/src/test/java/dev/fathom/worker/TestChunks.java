package dev.fathom.worker;

import dev.fathom.schemas.SegmentChunk;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.schemas.format.SegmentFrames;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/** Splits a sealed segment into SegmentChunk records the way a producer does, for tests that publish raw chunks. */
final class TestChunks {

    private TestChunks() {
    }

    /** Returns {@code segment}'s chunks: its frames split into {@code chunkCount} pieces of whole frames. */
    static List<SegmentChunk> of(String namespace, String profile, SealedSegment segment, int chunkCount) {
        int frames = segment.frames().size();
        if (chunkCount < 1 || chunkCount > frames) {
            throw new IllegalArgumentException("Cannot split " + frames + " frames into " + chunkCount + " chunks");
        }
        byte[] all = SegmentFrames.encode(segment.frames());
        int segmentCrc = crc32c(all);
        List<SegmentChunk> chunks = new ArrayList<>();
        int perChunk = (frames + chunkCount - 1) / chunkCount;
        for (int index = 0; index < chunkCount; index++) {
            int from = Math.min(frames, index * perChunk);
            int to = index == chunkCount - 1 ? frames : Math.min(frames, from + perChunk);
            byte[] payload = SegmentFrames.encode(segment.frames().subList(from, to));
            chunks.add(SegmentChunk.newBuilder()
                    .setNamespace(namespace)
                    .setProfile(profile)
                    .setSegmentId(segment.id().format())
                    .setStartFrameNo(segment.startFrameNo())
                    .setEndFrameNo(segment.endFrameNo())
                    .setSealedAtMs(segment.sealedAtMs())
                    .setPageSize(segment.pageSize())
                    .setSizeAfter(segment.sizeAfter())
                    .setChunkIndex(index)
                    .setChunkCount(chunkCount)
                    .setFrames(ByteBuffer.wrap(payload))
                    .setFramesCrc32c(crc32c(payload))
                    .setSegmentCrc32c(segmentCrc)
                    .setProducerId("test")
                    .build());
        }
        return chunks;
    }

    /** Returns a copy of {@code chunk} whose frames have one byte flipped (its CRC no longer matches). */
    static SegmentChunk corrupted(SegmentChunk chunk) {
        ByteBuffer frames = chunk.getFrames().duplicate();
        byte[] bytes = new byte[frames.remaining()];
        frames.get(bytes);
        bytes[bytes.length - 1] ^= 0x5a;
        return SegmentChunk.newBuilder(chunk).setFrames(ByteBuffer.wrap(bytes)).build();
    }

    static int crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }
}
