package dev.fathom.producer.restore;

import dev.fathom.schemas.format.ObjectKeys;
import java.util.List;

/**
 * Keeps every read inside {@code <prefix>/<namespace>/segments/}: wraps a {@link SegmentCatalog} and refuses any
 * segment whose data or index key is not exactly the key {@link ObjectKeys} derives for that namespace and segment
 * id, so a wrong or hostile catalog answer (a meta API pointing at another tenant's objects, {@code ../} in a key)
 * can never make a restore or a page read fetch objects of another namespace. Namespaces themselves are validated
 * by {@link ObjectKeys} before any request. Thread-safe when the wrapped catalog is.
 */
public final class NamespaceScopedCatalog implements SegmentCatalog {

    private final SegmentCatalog catalog;
    private final String prefix;

    /** Wraps {@code catalog}, whose objects live under key prefix {@code prefix} ("" for none). */
    public NamespaceScopedCatalog(SegmentCatalog catalog, String prefix) {
        this.catalog = catalog;
        this.prefix = prefix;
    }

    @Override
    public List<StoredSegment> segments(String namespace) {
        ObjectKeys.segmentsPrefix(prefix, namespace);
        return check(prefix, namespace, catalog.segments(namespace));
    }

    @Override
    public List<StoredSegment> segmentsStartingAfter(String namespace, long frameNo) {
        ObjectKeys.segmentsPrefix(prefix, namespace);
        return check(prefix, namespace, catalog.segmentsStartingAfter(namespace, frameNo));
    }

    private static List<StoredSegment> check(String prefix, String namespace, List<StoredSegment> segments) {
        segments.forEach(segment -> requireOwned(prefix, namespace, segment));
        return segments;
    }

    /**
     * Returns {@code segment} when its keys are the ones of {@code namespace} under {@code prefix}.
     *
     * @throws dev.fathom.schemas.InvalidNamespaceException when the namespace is invalid
     * @throws RestoreException naming the segment, both keys and the namespace otherwise
     */
    static StoredSegment requireOwned(String prefix, String namespace, StoredSegment segment) {
        String dataKey = ObjectKeys.dataKey(prefix, namespace, segment.id());
        String indexKey = ObjectKeys.indexKey(prefix, namespace, segment.id());
        if (!dataKey.equals(segment.dataKey()) || !indexKey.equals(segment.indexKey())) {
            throw new RestoreException("Refusing segment " + segment.id().format() + " for namespace '" + namespace
                    + "': its objects " + segment.dataKey() + " and " + segment.indexKey() + " are not the keys of"
                    + " that namespace (" + dataKey + ", " + indexKey + "); a catalog answer may only name objects"
                    + " under " + ObjectKeys.segmentsPrefix(prefix, namespace));
        }
        return segment;
    }
}
