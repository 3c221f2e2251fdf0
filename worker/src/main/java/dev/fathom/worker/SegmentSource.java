package dev.fathom.worker;

import dev.fathom.schemas.Namespace;
import java.util.List;

/**
 * Where a segment came from and what its chunk headers claim: enough to name it in logs, dead letters and commits,
 * even when its content turned out to be invalid. The namespace and segment id come from the wire, so {@link #name()}
 * prints them quoted and escaped when they are not plain names: a newline or NUL in a namespace cannot forge a log
 * line or a dead-letter sentence. Immutable and thread-safe.
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
            throw new IllegalArgumentException("Segment " + printable(segmentId) + " of namespace "
                    + Namespace.quote(namespace) + " has no record offsets");
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

    /**
     * Returns e.g. {@code segment <id> of namespace db1}; an invalid namespace or an odd segment id is quoted and
     * escaped ({@link Namespace#quote}: a newline becomes backslash-u000a).
     */
    String name() {
        return "segment " + printable(segmentId) + " of namespace " + printableNamespace();
    }

    /** Returns the namespace as received when it is valid, else quoted and escaped ({@link Namespace#quote}). */
    String printableNamespace() {
        return Namespace.isValid(namespace) ? namespace : Namespace.quote(namespace);
    }

    /**
     * Returns {@code raw} when it is non-empty printable ASCII without spaces, quotes or backslashes, else quoted and
     * escaped, so that a string from the wire stays one token on one log line.
     */
    static String printable(String raw) {
        if (raw == null || raw.isEmpty()) {
            return Namespace.quote(raw);
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '\'' || c == '\\') {
                return Namespace.quote(raw);
            }
        }
        return raw;
    }

    /** Returns a sentence {@code "segment <id> of namespace <ns> <problem>; partition p offsets a..b"}. */
    String sentence(String problem) {
        return name() + " " + problem + "; " + where();
    }
}
