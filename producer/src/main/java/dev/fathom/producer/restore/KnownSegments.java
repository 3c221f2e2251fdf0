package dev.fathom.producer.restore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The segment chains a reader has already seen, per namespace, so reads at frames they cover cost no catalog request
 * and reads past them ask only for segments starting after the newest one known (one short listing or query, not
 * the whole catalog per page read). Sound because segments are immutable and a namespace's segments are stored in
 * frame order: once a segment ending at or after frame N is known, every segment ending at or before N is known too.
 * Only gap-free chains are kept; a bounded LRU of namespaces. Thread-safe.
 */
final class KnownSegments {

    static final int MAX_NAMESPACES = 64;

    private final SegmentCatalog catalog;
    private final Map<String, List<StoredSegment>> chains = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<StoredSegment>> eldest) {
            return size() > MAX_NAMESPACES;
        }
    };

    KnownSegments(SegmentCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * Returns every stored segment of {@code namespace} known to end at or before {@code frameNo} or later, oldest
     * first; {@link Long#MAX_VALUE} always asks the catalog for newer segments.
     */
    List<StoredSegment> covering(String namespace, long frameNo) {
        List<StoredSegment> known = cached(namespace);
        if (known == null) {
            known = catalog.segments(namespace);
        } else {
            long newestEnd = known.isEmpty() ? 0 : known.get(known.size() - 1).id().endFrameNo();
            if (newestEnd >= frameNo) {
                return known;
            }
            List<StoredSegment> newer = catalog.segmentsStartingAfter(namespace, newestEnd);
            if (!newer.isEmpty()) {
                List<StoredSegment> all = new ArrayList<>(known);
                all.addAll(newer);
                known = List.copyOf(all);
            }
        }
        remember(namespace, known);
        return known;
    }

    private synchronized List<StoredSegment> cached(String namespace) {
        return chains.get(namespace);
    }

    private synchronized void remember(String namespace, List<StoredSegment> segments) {
        if (SegmentChain.problems(namespace, segments).isEmpty()) {
            chains.put(namespace, List.copyOf(segments));
        } else {
            chains.remove(namespace); // a gap may be a listing in progress: ask again next time
        }
    }
}
