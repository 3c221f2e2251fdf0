package dev.fathom.worker;

import dev.fathom.schemas.DeadLetterReason;
import dev.fathom.schemas.SegmentChunk;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Collects the chunks of the segments of one partition by (namespace, segment id) until all of a segment's chunks
 * arrived, then hands the segment to {@link SegmentVerifier}. Checks that chunk index and count agree across chunks
 * and that every chunk repeats the same segment header; a duplicate chunk is ignored when identical (its offset still
 * belongs to the segment) and makes the segment CORRUPT otherwise. Not thread-safe; owned by the poll thread.
 */
final class ChunkAssembler {

    /**
     * Most chunks a segment may announce (64 Ki: 64 GiB at 1 MiB chunks). A header announcing more is refused at
     * once instead of allocating room for, and waiting on, chunks that never come.
     */
    static final int MAX_CHUNK_COUNT = 65_536;

    private final int partition;
    private final Map<Key, Assembly> open = new LinkedHashMap<>();
    private long pendingBytes;

    ChunkAssembler(int partition) {
        this.partition = partition;
    }

    /**
     * Adds the chunk read at {@code offset}; returns the segment when this chunk completed it (valid or refused), or
     * empty while chunks are missing.
     */
    Optional<AssembledSegment> add(long offset, SegmentChunk chunk) {
        Key key = new Key(chunk.getNamespace(), chunk.getSegmentId());
        Assembly assembly = open.computeIfAbsent(key, k -> new Assembly(chunk));
        assembly.offsets.add(offset);
        long before = assembly.bytes;
        assembly.accept(chunk);
        pendingBytes += assembly.bytes - before;
        if (!assembly.isComplete()) {
            return Optional.empty();
        }
        open.remove(key);
        pendingBytes -= assembly.bytes;
        SegmentSource source = assembly.source(partition);
        if (assembly.problem != null) {
            return Optional.of(AssembledSegment.refused(source,
                    new Refusal(DeadLetterReason.CORRUPT, source.sentence(assembly.problem)), assembly.bytes));
        }
        return Optional.of(SegmentVerifier.verify(source, List.of(assembly.chunks), assembly.bytes));
    }

    /** Returns the frame bytes of chunks held for incomplete segments. */
    long pendingBytes() {
        return pendingBytes;
    }

    /** Returns the number of segments still waiting for chunks. */
    int openSegments() {
        return open.size();
    }

    private record Key(String namespace, String segmentId) {
    }

    /** The chunks received so far for one segment, and the header every chunk must repeat. */
    private static final class Assembly {
        private final SegmentChunk header;
        private final SegmentChunk[] chunks;
        private final List<Long> offsets = new ArrayList<>();
        private int received;
        private long bytes;
        private String problem;

        Assembly(SegmentChunk header) {
            this.header = header;
            int count = header.getChunkCount();
            this.chunks = new SegmentChunk[count >= 1 && count <= MAX_CHUNK_COUNT ? count : 1];
        }

        /**
         * Takes {@code chunk}. An inconsistent chunk does not end the assembly: the segment still completes when the
         * chunks its first header announced have arrived (they share one producer transaction), and is then refused
         * with the first problem seen, so no chunk of it is left behind holding the partition's offsets.
         */
        void accept(SegmentChunk chunk) {
            String inconsistency = problemWith(chunk);
            if (inconsistency != null) {
                problem = problem == null ? inconsistency : problem;
                return;
            }
            int index = chunk.getChunkIndex();
            SegmentChunk existing = chunks[index];
            if (existing == null) {
                chunks[index] = chunk;
                received++;
                bytes += chunk.getFrames().remaining();
            } else if (!existing.getFrames().equals(chunk.getFrames())
                    || existing.getFramesCrc32c() != chunk.getFramesCrc32c()) {
                problem = problem == null ? "has chunk " + index + " twice with different content" : problem;
            }
        }

        /** Returns whether every announced chunk arrived, or the header itself makes waiting pointless. */
        boolean isComplete() {
            int count = header.getChunkCount();
            return received == chunks.length || count < 1 || count > MAX_CHUNK_COUNT;
        }

        /** Returns what is inconsistent about {@code chunk}, or null. */
        private String problemWith(SegmentChunk chunk) {
            int count = chunk.getChunkCount();
            int index = chunk.getChunkIndex();
            if (count > MAX_CHUNK_COUNT) {
                return "announces " + count + " chunks, more than the " + MAX_CHUNK_COUNT + " a segment may have";
            }
            if (count < 1 || index < 0 || index >= count) {
                return "has chunk index " + index + " of chunk count " + count
                        + ": the index must be in 0..count-1 and the count >= 1";
            }
            if (count != chunks.length) {
                return "has chunks announcing different chunk counts (" + chunks.length + " and " + count + ")";
            }
            if (!sameHeader(header, chunk)) {
                return "has chunks with different segment headers (chunk " + header.getChunkIndex() + " and chunk "
                        + index + " disagree on profile, frame range, sealed_at, page size, size_after or"
                        + " segment checksum)";
            }
            return null;
        }

        SegmentSource source(int partition) {
            return new SegmentSource(partition, header.getNamespace(), header.getProfile(), header.getSegmentId(),
                    header.getStartFrameNo(), header.getEndFrameNo(), offsets);
        }

        private static boolean sameHeader(SegmentChunk a, SegmentChunk b) {
            return Objects.equals(a.getProfile(), b.getProfile()) && a.getStartFrameNo() == b.getStartFrameNo()
                    && a.getEndFrameNo() == b.getEndFrameNo() && a.getSealedAtMs() == b.getSealedAtMs()
                    && a.getPageSize() == b.getPageSize() && a.getSizeAfter() == b.getSizeAfter()
                    && a.getSegmentCrc32c() == b.getSegmentCrc32c();
        }
    }

}
