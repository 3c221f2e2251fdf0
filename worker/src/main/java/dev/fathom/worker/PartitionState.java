package dev.fathom.worker;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the worker knows about one assigned partition of the segments topic: the chunks being assembled, the record
 * offsets not finished yet, the committed durable frame number of each namespace, and the namespaces it stopped
 * advancing after a refusal (until a segment contiguous with the durable frame arrives). Created on assignment (or
 * rewind) with a new generation and dropped on revocation, so a job result from an older generation is recognised
 * and never committed. Not thread-safe; owned by the poll thread.
 */
final class PartitionState {

    private final int partition;
    private final long generation;
    private final ChunkAssembler assembler;
    private final OffsetTracker offsets = new OffsetTracker();
    private final Map<String, Long> durable;
    /** End frame of each namespace's segment uploaded and waiting in the commit batch (cleared once committed). */
    private final Map<String, Long> uploaded = new HashMap<>();
    private final Map<String, SegmentSource> blockedBy = new HashMap<>();

    PartitionState(int partition, long generation, Map<String, Long> durable) {
        this.partition = partition;
        this.generation = generation;
        this.assembler = new ChunkAssembler(partition);
        this.durable = new HashMap<>(durable);
    }

    int partition() {
        return partition;
    }

    long generation() {
        return generation;
    }

    ChunkAssembler assembler() {
        return assembler;
    }

    OffsetTracker offsets() {
        return offsets;
    }

    /** Returns the committed durable frame number of {@code namespace}, 0 when none was committed. */
    long durableFrameNo(String namespace) {
        return durable.getOrDefault(namespace, 0L);
    }

    /** Records a committed durable frame number; it never moves backwards. */
    void advance(String namespace, long durableFrameNo) {
        durable.merge(namespace, durableFrameNo, Math::max);
        uploaded.computeIfPresent(namespace, (ns, end) -> end <= durableFrameNo ? null : end);
    }

    /**
     * Records that {@code namespace}'s segment ending at {@code endFrameNo} is uploaded and its records wait in the
     * commit batch, so the namespace's next segment may start its upload before that commit (pipelining). A failed
     * commit rewinds and replaces this state, so the value never outlives the batch it belongs to.
     */
    void uploaded(String namespace, long endFrameNo) {
        uploaded.merge(namespace, endFrameNo, Math::max);
    }

    /**
     * Returns the frame the next segment of {@code namespace} must follow: the end of its segment waiting in the
     * commit batch, else its committed durable frame number. Segments of a namespace are checked against this.
     */
    long acceptedFrameNo(String namespace) {
        return Math.max(durableFrameNo(namespace), uploaded.getOrDefault(namespace, 0L));
    }

    /** Stops {@code namespace} from advancing in this worker; the first refused segment is remembered. */
    void block(SegmentSource refused) {
        blockedBy.putIfAbsent(refused.namespace(), refused);
    }

    /**
     * Lets {@code namespace} advance again (a segment contiguous with its durable frame arrived); returns the segment
     * that had blocked it, empty when it was not blocked.
     */
    Optional<SegmentSource> unblock(String namespace) {
        return Optional.ofNullable(blockedBy.remove(namespace));
    }

    /** Returns the first refused segment of {@code namespace} when it is blocked. */
    Optional<SegmentSource> blockedBy(String namespace) {
        return Optional.ofNullable(blockedBy.get(namespace));
    }
}
