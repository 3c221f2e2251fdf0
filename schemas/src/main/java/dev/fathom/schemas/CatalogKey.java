package dev.fathom.schemas;

/**
 * Builds and parses the keys of the catalog topic: {@code <namespace>/<end_frame_no:020>}. Stateless and thread-safe.
 *
 * <p>The end frame number is zero-padded to 20 digits so that, within a namespace, keys sort by frame number both as
 * strings and as UTF-8 bytes (what a Kafka Streams range scan compares). A namespace never contains {@code '/'}, so
 * {@link #lowerBound}..{@link #upperBound} holds exactly one namespace's keys.
 */
public final class CatalogKey {
    private static final char SEPARATOR = '/';

    private CatalogKey() {
    }

    /**
     * Returns the catalog key of the segment of {@code namespace} ending at {@code endFrameNo}.
     *
     * @throws InvalidNamespaceException when the namespace is invalid
     * @throws IllegalArgumentException when {@code endFrameNo} is negative
     */
    public static String of(String namespace, long endFrameNo) {
        Namespace.of(namespace);
        if (endFrameNo < 0) {
            throw new IllegalArgumentException("Catalog key of namespace " + namespace
                    + " needs an end frame number >= 0, got " + endFrameNo);
        }
        return namespace + SEPARATOR + String.format("%020d", endFrameNo);
    }

    /** Returns the smallest key of {@code namespace}: {@code namespace + "/"} (inclusive bound of a range scan). */
    public static String lowerBound(String namespace) {
        return Namespace.of(namespace).value() + SEPARATOR;
    }

    /** Returns a key above every key of {@code namespace}: {@code namespace + "/~"} (inclusive range-scan bound). */
    public static String upperBound(String namespace) {
        return Namespace.of(namespace).value() + SEPARATOR + '~';
    }

    /**
     * Returns the namespace part of a catalog key.
     *
     * @throws IllegalArgumentException when the key has no {@code '/'} or an invalid namespace part
     */
    public static String namespaceOf(String key) {
        int slash = key == null ? -1 : key.indexOf(SEPARATOR);
        if (slash < 0) {
            throw new IllegalArgumentException("Catalog key " + Namespace.quote(key)
                    + " is not of the form <namespace>/<end_frame_no:020>");
        }
        return Namespace.of(key.substring(0, slash)).value();
    }
}
