package dev.fathom.cli;

import dev.fathom.schemas.DeadLetter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One dead letter as read from the dead-letter topic, with where it sits there. Immutable; thread-safe.
 *
 * @param partition partition of the dead-letter topic
 * @param offset offset in that partition
 * @param letter the decoded letter
 */
record DeadLetterEntry(int partition, long offset, DeadLetter letter) {

    /** Whether the letter names a segment (frame range and id), which is what a replay needs. */
    boolean namesSegment() {
        return letter.getSegmentId() != null && letter.getStartFrameNo() != null && letter.getEndFrameNo() != null;
    }

    /** Returns e.g. {@code fathom.segments partition 2 offsets 10..12}. */
    String source() {
        return letter.getSourceTopic() + " partition " + letter.getSourcePartition()
                + (letter.getFirstOffset() == letter.getLastOffset() ? " offset " + letter.getFirstOffset()
                : " offsets " + letter.getFirstOffset() + ".." + letter.getLastOffset());
    }

    /** One line for people: time, namespace, reason code, segment and frames, source, reason sentence. */
    String line() {
        String segment = namesSegment() ? "segment " + letter.getSegmentId() + " frames " + letter.getStartFrameNo()
                + ".." + letter.getEndFrameNo() : "no segment";
        return Instant.ofEpochMilli(letter.getFailedAtMs()) + "  " + quoted(letter.getNamespace()) + "  "
                + letter.getReasonCode() + "  " + segment + "  from " + source() + "  " + escaped(letter.getReason());
    }

    /** The letter as a JSON-ready map (field order kept), with its place in the dead-letter topic. */
    Map<String, Object> json() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("failedAt", Instant.ofEpochMilli(letter.getFailedAtMs()).toString());
        doc.put("namespace", letter.getNamespace());
        doc.put("reasonCode", letter.getReasonCode().name());
        doc.put("segmentId", letter.getSegmentId());
        doc.put("startFrameNo", letter.getStartFrameNo());
        doc.put("endFrameNo", letter.getEndFrameNo());
        doc.put("durableFrameNo", letter.getDurableFrameNo());
        doc.put("profile", letter.getProfile());
        doc.put("sourceTopic", letter.getSourceTopic());
        doc.put("sourcePartition", letter.getSourcePartition());
        doc.put("firstOffset", letter.getFirstOffset());
        doc.put("lastOffset", letter.getLastOffset());
        doc.put("workerId", letter.getWorkerId());
        doc.put("reason", letter.getReason());
        doc.put("dlqPartition", partition);
        doc.put("dlqOffset", offset);
        return doc;
    }

    /**
     * Quotes namespaces that are empty or hold characters outside the valid set, so a hostile one (control
     * characters, slashes, 300 characters) cannot forge or break a line.
     */
    private static String quoted(String namespace) {
        if (!namespace.isEmpty() && namespace.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c)
                || c == '.' || c == '_' || c == '-'))) {
            return namespace;
        }
        return '"' + escaped(namespace) + '"';
    }

    /** Escapes control characters, quotes and backslashes so one letter stays one line. */
    private static String escaped(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
