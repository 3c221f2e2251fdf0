package dev.fathom.producer.restore;

import java.util.List;

/**
 * Where the read path learns which segments of a namespace are stored: the workers' meta API
 * ({@link MetaApiSegmentCatalog}) or a listing of the bucket itself ({@link BucketSegmentCatalog}), which is the
 * source of truth; {@link FallbackSegmentCatalog} combines the two. Implementations are thread-safe and have no side
 * effects; asking again is always safe.
 */
public interface SegmentCatalog {

    /**
     * Returns the stored segments of {@code namespace}, oldest first (by start, then end frame); empty when the
     * namespace has none.
     *
     * @throws dev.fathom.schemas.InvalidNamespaceException when the namespace is invalid
     * @throws CatalogUnavailableException when the catalog's service cannot be reached or fails (worth a fallback)
     * @throws RestoreException when the catalog answers with something unusable, naming where it came from
     */
    List<StoredSegment> segments(String namespace);

    /**
     * Returns the stored segments of {@code namespace} starting after frame {@code frameNo}, oldest first: what a
     * reader that already knows the chain up to {@code frameNo} is missing. Catalogs that can ask for less than
     * everything (a listing starting after a key, a {@code from=} query) override this default, which filters
     * {@link #segments}.
     *
     * @throws CatalogUnavailableException when the catalog's service cannot be reached or fails
     */
    default List<StoredSegment> segmentsStartingAfter(String namespace, long frameNo) {
        return segments(namespace).stream().filter(s -> s.id().startFrameNo() > frameNo).toList();
    }
}
