package dev.fathom.schemas.format;

import dev.fathom.schemas.Namespace;
import java.util.Optional;

/**
 * Object keys of compacted segments: {@code <prefix>/<namespace>/segments/<start:020>-<end:020>-<sealed_at_ms:013>}
 * plus {@code .seg} (data) or {@code .idx} (page index). A key depends only on the segment's data, so retries and
 * zombie workers overwrite the same key with the same bytes, and zero-padded numbers make a prefix listing come
 * back in frame order. Stateless and thread-safe.
 */
public final class ObjectKeys {

    static final String DATA_SUFFIX = ".seg";
    static final String INDEX_SUFFIX = ".idx";
    private static final String SEGMENTS_DIR = "segments";

    private ObjectKeys() {
    }

    /**
     * Returns {@code <prefix>/<namespace>/segments/<id>.seg} ({@code <namespace>/segments/<id>.seg} when the prefix
     * is empty).
     *
     * @throws IllegalArgumentException when the prefix starts or ends with '/', or the namespace is invalid
     */
    public static String dataKey(String prefix, String namespace, SegmentId id) {
        return segmentsPrefix(prefix, namespace) + id.format() + DATA_SUFFIX;
    }

    /** Returns the page index key: {@link #dataKey} with {@code .idx} instead of {@code .seg}. */
    public static String indexKey(String prefix, String namespace, SegmentId id) {
        return segmentsPrefix(prefix, namespace) + id.format() + INDEX_SUFFIX;
    }

    /**
     * Returns {@code <prefix>/<namespace>/segments/} (with the trailing '/'), the listing prefix of a namespace's
     * segment objects.
     *
     * @throws IllegalArgumentException when the prefix starts or ends with '/', or the namespace is invalid
     */
    public static String segmentsPrefix(String prefix, String namespace) {
        if (prefix == null) {
            throw new IllegalArgumentException("Object key prefix is null; use \"\" for no prefix");
        }
        if (prefix.startsWith("/") || prefix.endsWith("/")) {
            throw new IllegalArgumentException("Object key prefix '" + prefix
                    + "' must not start or end with '/' (use \"\" for no prefix)");
        }
        String ns = Namespace.of(namespace).value();
        return (prefix.isEmpty() ? "" : prefix + "/") + ns + "/" + SEGMENTS_DIR + "/";
    }

    /**
     * Returns the segment id of a {@code .seg} or {@code .idx} key made by this class (any prefix), or empty for
     * anything else; never throws.
     */
    public static Optional<SegmentId> parseSegmentKey(String key) {
        if (key == null || !(key.endsWith(DATA_SUFFIX) || key.endsWith(INDEX_SUFFIX))) {
            return Optional.empty();
        }
        int nameStart = key.lastIndexOf('/') + 1;
        String dir = key.substring(0, Math.max(nameStart - 1, 0));
        if (nameStart == 0 || !dir.endsWith("/" + SEGMENTS_DIR)) {
            return Optional.empty();
        }
        String nsDir = dir.substring(0, dir.length() - SEGMENTS_DIR.length() - 1);
        if (!Namespace.isValid(nsDir.substring(nsDir.lastIndexOf('/') + 1))) {
            return Optional.empty();
        }
        String stem = key.substring(nameStart, key.length() - DATA_SUFFIX.length());
        try {
            return Optional.of(SegmentId.parse(stem));
        } catch (IllegalArgumentException notASegment) {
            return Optional.empty();
        }
    }
}
