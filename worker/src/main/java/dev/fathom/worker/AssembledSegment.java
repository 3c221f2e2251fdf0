package dev.fathom.worker;

import dev.fathom.schemas.format.SealedSegment;
import java.util.Objects;

/**
 * A segment whose chunks have all arrived: either valid (a {@link SealedSegment}) or refused with a {@link Refusal}.
 * Refused segments travel the same per-namespace queue as valid ones so a namespace's decisions keep arrival order.
 * Immutable and thread-safe.
 *
 * @param source where it came from and what its headers claim
 * @param segment the validated segment, or null when refused
 * @param refusal why it is refused, or null when valid
 * @param bytes frame bytes the segment carried (for backlog accounting)
 */
record AssembledSegment(SegmentSource source, SealedSegment segment, Refusal refusal, long bytes) {

    AssembledSegment {
        Objects.requireNonNull(source, "source");
        if ((segment == null) == (refusal == null)) {
            throw new IllegalArgumentException("An assembled segment is either valid or refused: " + source.name());
        }
    }

    static AssembledSegment valid(SegmentSource source, SealedSegment segment, long bytes) {
        return new AssembledSegment(source, segment, null, bytes);
    }

    static AssembledSegment refused(SegmentSource source, Refusal refusal, long bytes) {
        return new AssembledSegment(source, null, refusal, bytes);
    }

    boolean isValid() {
        return refusal == null;
    }

    int partition() {
        return source.partition();
    }

    String namespace() {
        return source.namespace();
    }
}
