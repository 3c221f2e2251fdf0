package dev.fathom.worker;

import java.util.List;

/**
 * Where a segment came from and what its chunk headers claim: enough to name it in logs, dead letters and commits,
 * even when its content turned out to be invalid. Immutable and thread-safe.
 *
 * @param partition partition of the segments topic
 * @param namespace namespace as received (not necessarily valid)
 * @param profile storage profile as received
 * @param segmentId segment id as received
 * @param startFrameNo first frame number claimed by the chunk headers
 * @param endFrameNo last frame number claimed by the chunk headers
 * @param offsets offsets of all records (chunks, duplicates included) that carried the segment, ascending
 */
record SegmentSource(int partition, String namespace, String profile, String segmentId, long startFrameNo,
                     long endFrameNo, List<Long> offsets) {

    SegmentSource {
        offsets = offsets.stream().sorted().toList();
        if (offsets.isEmpty()) {
            throw new IllegalArgumentException("Segment " + segmentId + " of namespace " + namespace
                    + " has no record offsets");
        }
    }

    long firstOffset() {
        return offsets.get(0);
    }

    long lastOffset() {
        return offsets.get(offsets.size() - 1);
    }

    /** Returns e.g. {@code partition 3 offsets 120..121}. */
    String where() {
        return "partition " + partition + (offsets.size() == 1 ? " offset " + firstOffset()
                : " offsets " + firstOffset() + ".." + lastOffset());
    }

    /** Returns e.g. {@code segment <id> of namespace db1}. */
    String name() {
        return "segment " + segmentId + " of namespace " + namespace;
    }

    /** Returns a sentence {@code "segment <id> of namespace <ns> <problem>; partition p offsets a..b"}. */
    String sentence(String problem) {
        return name() + " " + problem + "; " + where();
    }
}
