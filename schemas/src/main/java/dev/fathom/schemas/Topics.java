package dev.fathom.schemas;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The names of the four Kafka topics Fathom uses; overridable by config so several deployments can share a cluster.
 * Immutable and thread-safe.
 *
 * @param segments sealed-segment chunks ({@link SegmentChunk}), keyed and partitioned by namespace, delete policy
 * @param meta durable frame numbers ({@link DurableFrame}), keyed by namespace, compacted
 * @param catalog durable segments ({@link SegmentInfo}), keyed by {@link CatalogKey}, partitioned by namespace,
 *     compacted
 * @param deadLetters refused segments ({@link DeadLetter}), delete policy with long retention
 */
public record Topics(String segments, String meta, String catalog, String deadLetters) {
    /** Kafka's own rule for topic names (kafka.common.internals.Topic), checked early for a clearer message. */
    private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    /**
     * Validates the names.
     *
     * @throws IllegalArgumentException when a name is not a legal Kafka topic name or two names are equal
     */
    public Topics {
        check("segments", segments);
        check("meta", meta);
        check("catalog", catalog);
        check("deadLetters", deadLetters);
        if (List.of(segments, meta, catalog, deadLetters).stream().distinct().count() != 4) {
            throw new IllegalArgumentException("Fathom needs four distinct topics, got segments=" + segments
                    + ", meta=" + meta + ", catalog=" + catalog + ", deadLetters=" + deadLetters);
        }
    }

    /** Returns fathom.segments, fathom.meta, fathom.catalog and fathom.dlq. */
    public static Topics defaults() {
        return new Topics("fathom.segments", "fathom.meta", "fathom.catalog", "fathom.dlq");
    }

    /** Returns the four names in the order segments, meta, catalog, dead letters. */
    public List<String> all() {
        return List.of(segments, meta, catalog, deadLetters);
    }

    private static void check(String role, String name) {
        if (name == null || !LEGAL_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("Invalid " + role + " topic name " + Namespace.quote(name)
                    + ": a Kafka topic name has 1 to 249 characters of [a-zA-Z0-9._-] and is not '.' or '..'");
        }
    }
}
