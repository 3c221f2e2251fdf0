package dev.fathom.worker.rebuild;

import dev.fathom.producer.restore.SegmentChain;
import dev.fathom.producer.restore.StoredSegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The segments of a namespace that form a contiguous chain from frame 1 (each starting right after the previous one
 * ends), up to the first gap or overlap, and the sentence describing that first problem. Everything in the chain is
 * durable by definition; nothing after its end may be declared durable. Immutable and thread-safe.
 *
 * @param segments the chain, oldest first; empty when no segment starts at frame 1
 * @param problem  why the chain ends before the newest stored segment, or null when it reaches it
 */
record ContiguousChain(List<StoredSegment> segments, String problem) {

    ContiguousChain {
        segments = List.copyOf(segments);
    }

    /** Returns the chain of {@code ordered} (the stored segments of {@code namespace}, in frame order). */
    static ContiguousChain of(String namespace, List<StoredSegment> ordered) {
        List<StoredSegment> chain = new ArrayList<>();
        long expected = 1;
        for (StoredSegment segment : ordered) {
            if (segment.id().startFrameNo() != expected) {
                break;
            }
            chain.add(segment);
            expected = segment.id().endFrameNo() + 1;
        }
        List<String> problems = SegmentChain.problems(namespace, ordered);
        return new ContiguousChain(chain, problems.isEmpty() ? null : problems.get(0));
    }

    /** Returns the end frame of the chain, 0 when it is empty. */
    long endFrameNo() {
        return segments.isEmpty() ? 0 : segments.get(segments.size() - 1).id().endFrameNo();
    }
}
