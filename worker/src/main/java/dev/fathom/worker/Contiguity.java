package dev.fathom.worker;

/**
 * How a segment {@code [start, end]} relates to its namespace's durable frame number D, which decides what the
 * worker does with it. Stateless; thread-safe.
 *
 * <pre>
 *   end &lt;= D              REPLAY   already durable: acknowledge (offsets only), no upload, no meta/catalog record
 *   start == D + 1         NEXT     process it
 *   start &lt;= D &lt; end       OVERLAP  poison: dead letter, the namespace stops advancing
 *   start &gt; D + 1          GAP      poison: dead letter, the namespace stops advancing (a gap is never skipped)
 * </pre>
 */
enum Contiguity {
    REPLAY, NEXT, OVERLAP, GAP;

    /** Classifies the segment {@code [start, end]} against durable frame number {@code durable}. */
    static Contiguity of(long durable, long start, long end) {
        if (end <= durable) {
            return REPLAY;
        }
        if (start == durable + 1) {
            return NEXT;
        }
        return start <= durable ? OVERLAP : GAP;
    }

    /** Returns the dead-letter sentence of an OVERLAP or GAP of {@code source} against {@code durable}. */
    static String reason(SegmentSource source, long durable) {
        long start = source.startFrameNo();
        long end = source.endFrameNo();
        return switch (of(durable, start, end)) {
            case GAP -> source.sentence("starts at frame " + start + " but the durable frame no is " + durable
                    + ": frames " + (durable + 1) + ".." + (start - 1) + " are missing (gap)");
            case OVERLAP -> source.sentence("covers frames " + start + ".." + end + " but the durable frame no is "
                    + durable + ": frames " + start + ".." + durable + " are already durable and "
                    + (durable + 1) + ".." + end + " are not (partial overlap)");
            default -> throw new IllegalArgumentException(source.name() + " is not poison against durable frame "
                    + durable);
        };
    }
}
