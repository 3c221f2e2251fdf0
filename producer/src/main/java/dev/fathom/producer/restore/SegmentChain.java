package dev.fathom.producer.restore;

import dev.fathom.schemas.format.SegmentId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses the segment a restore target resolves to and the contiguous chain from frame 1 up to it. Stateless,
 * thread-safe.
 */
public final class SegmentChain {

    private SegmentChain() {
    }

    /**
     * Returns the segments of {@code segments} (any order) from frame 1 to the segment {@code target} resolves to,
     * oldest first.
     *
     * @throws RestoreException when no segment matches the target or the chain has a gap, an overlap, or does not
     *                          start at frame 1 (the message names the missing frames and the namespace)
     */
    public static List<StoredSegment> resolve(String namespace, List<StoredSegment> segments, RestoreTarget target) {
        List<StoredSegment> ordered = new ArrayList<>(segments);
        ordered.sort(Comparator.comparingLong((StoredSegment s) -> s.id().endFrameNo()));
        int chosen = choose(ordered, target);
        if (chosen < 0) {
            throw new RestoreException("No segment of namespace '" + namespace + "' matches restore target "
                    + target + " (" + ordered.size() + " segments stored"
                    + (ordered.isEmpty() ? "" : ", first " + ordered.get(0).id().format()) + ")");
        }
        List<StoredSegment> chain = ordered.subList(0, chosen + 1);
        checkContiguous(namespace, chain);
        return List.copyOf(chain);
    }

    /** Returns the index of the chosen segment in {@code ordered} (by end frame), or -1. */
    static int choose(List<StoredSegment> ordered, RestoreTarget target) {
        int chosen = -1;
        for (int i = 0; i < ordered.size(); i++) {
            SegmentId id = ordered.get(i).id();
            boolean fits = fits(id, target);
            if (fits) {
                chosen = i;
            }
        }
        return chosen;
    }

    static boolean fits(SegmentId id, RestoreTarget target) {
        if (target instanceof RestoreTarget.AtFrame atFrame) {
            return id.endFrameNo() <= atFrame.frameNo();
        }
        if (target instanceof RestoreTarget.AtTime atTime) {
            return id.sealedAtMs() <= atTime.time().toEpochMilli();
        }
        return true; // Latest
    }

    /** Checks that {@code chain} (oldest first) covers frames 1..end with no gap or overlap. */
    static void checkContiguous(String namespace, List<StoredSegment> chain) {
        List<String> problems = problems(namespace, chain);
        if (!problems.isEmpty()) {
            throw new RestoreException(problems.get(0) + "; cannot restore");
        }
    }

    /**
     * Returns one sentence per gap or overlap in {@code ordered} (oldest first) between frame 1 and its last segment;
     * empty when the segments are contiguous from frame 1. {@code fathom verify} reports them all.
     */
    public static List<String> problems(String namespace, List<StoredSegment> ordered) {
        List<String> problems = new ArrayList<>();
        long expected = 1;
        for (StoredSegment segment : ordered) {
            SegmentId id = segment.id();
            if (id.startFrameNo() > expected) {
                problems.add("Namespace '" + namespace + "' is missing frames " + expected + ".."
                        + (id.startFrameNo() - 1) + " before segment " + id.format());
            } else if (id.startFrameNo() < expected) {
                problems.add("Namespace '" + namespace + "' has overlapping segments: " + id.format()
                        + " starts at frame " + id.startFrameNo() + " but frames up to " + (expected - 1)
                        + " are already covered");
            }
            expected = Math.max(expected, id.endFrameNo() + 1);
        }
        return problems;
    }
}
