package dev.fathom.worker;

import dev.fathom.schemas.DeadLetterReason;
import dev.fathom.schemas.Namespace;
import dev.fathom.schemas.SegmentChunk;
import dev.fathom.schemas.format.CorruptSegmentException;
import dev.fathom.schemas.format.Frame;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.schemas.format.SegmentFrames;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Turns the complete chunks of one segment into a validated {@link SealedSegment}, or a refusal: invalid namespace,
 * chunk or segment checksum mismatch (CORRUPT), undecodable frames (CORRUPT), or frames that break a segment rule or
 * disagree with the chunk headers (INVALID_SEGMENT). Stateless and thread-safe.
 */
final class SegmentVerifier {

    private SegmentVerifier() {
    }

    /** Verifies {@code chunks} (in chunk-index order) of the segment described by {@code source}. */
    static AssembledSegment verify(SegmentSource source, List<SegmentChunk> chunks, long bytes) {
        if (!Namespace.isValid(source.namespace())) {
            return refuse(source, DeadLetterReason.INVALID_NAMESPACE, bytes, "is refused: "
                    + invalidNamespaceReason(source.namespace()));
        }
        // Checked chunk by chunk and decoded across chunk boundaries: joining 4 MiB of chunks first cost a copy
        // (and a humongous allocation) per segment on the poll thread.
        CRC32C all = new CRC32C();
        List<ByteBuffer> payloads = new ArrayList<>(chunks.size());
        for (SegmentChunk chunk : chunks) {
            ByteBuffer frames = chunk.getFrames();
            int actual = crc32c(frames.duplicate());
            if (actual != chunk.getFramesCrc32c()) {
                return refuse(source, DeadLetterReason.CORRUPT, bytes, String.format("has chunk %d of %d whose"
                        + " frames CRC32C is 0x%08x but the chunk says 0x%08x", chunk.getChunkIndex(),
                        chunk.getChunkCount(), actual, chunk.getFramesCrc32c()));
            }
            all.update(frames.duplicate());
            payloads.add(frames);
        }
        SegmentChunk header = chunks.get(0);
        int segmentCrc = (int) all.getValue();
        if (segmentCrc != header.getSegmentCrc32c()) {
            return refuse(source, DeadLetterReason.CORRUPT, bytes, String.format("has frames whose CRC32C over all"
                    + " %d chunks is 0x%08x but the chunks say 0x%08x", chunks.size(), segmentCrc,
                    header.getSegmentCrc32c()));
        }
        return decode(source, header, payloads, bytes);
    }

    private static AssembledSegment decode(SegmentSource source, SegmentChunk header, List<ByteBuffer> payloads,
                                           long bytes) {
        SealedSegment segment;
        try {
            List<Frame> frames = SegmentFrames.decode(payloads, header.getPageSize(), source.name());
            segment = SealedSegment.of(header.getPageSize(), header.getSealedAtMs(), frames);
        } catch (CorruptSegmentException e) {
            return refuse(source, DeadLetterReason.CORRUPT, bytes, "has undecodable frames: " + e.getMessage());
        } catch (IllegalArgumentException e) { // InvalidSegmentException and friends
            return refuse(source, DeadLetterReason.INVALID_SEGMENT, bytes, "is invalid: " + e.getMessage());
        }
        String mismatch = headerMismatch(header, segment);
        if (mismatch != null) {
            return refuse(source, DeadLetterReason.INVALID_SEGMENT, bytes, "has chunk headers that disagree with"
                    + " its frames: " + mismatch);
        }
        return AssembledSegment.valid(source, segment, bytes);
    }

    /** Returns how the chunk header disagrees with the decoded frames (which decide the object keys), or null. */
    private static String headerMismatch(SegmentChunk header, SealedSegment segment) {
        if (header.getStartFrameNo() != segment.startFrameNo() || header.getEndFrameNo() != segment.endFrameNo()) {
            return "headers say frames " + header.getStartFrameNo() + ".." + header.getEndFrameNo()
                    + " but the frames are " + segment.startFrameNo() + ".." + segment.endFrameNo();
        }
        if (header.getSizeAfter() != segment.sizeAfter()) {
            return "headers say size_after " + header.getSizeAfter() + " but the last frame says "
                    + segment.sizeAfter();
        }
        String id = segment.id().format();
        if (!id.equals(header.getSegmentId())) {
            return "headers say segment id " + header.getSegmentId() + " but the frames and sealed_at make " + id;
        }
        return null;
    }

    private static String invalidNamespaceReason(String namespace) {
        try {
            Namespace.of(namespace);
            return "namespace is invalid";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static AssembledSegment refuse(SegmentSource source, DeadLetterReason code, long bytes, String problem) {
        return AssembledSegment.refused(source, new Refusal(code, source.sentence(problem)), bytes);
    }

    static int crc32c(ByteBuffer bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }
}
