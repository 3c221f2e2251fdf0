package dev.fathom.producer.restore;

import java.util.List;
import java.util.Optional;

/**
 * Finds one page's version in a segment chain the way a restore does: walk the chain newest → oldest and take the
 * first segment holding the page, never a version from before a truncation below that page. Reads page indexes and
 * one page range only. Not thread-safe; one lookup per call.
 */
final class PageLookup {

    private final String namespace;
    private final SegmentReader reader;

    PageLookup(String namespace, SegmentReader reader) {
        this.namespace = namespace;
        this.reader = reader;
    }

    /**
     * Returns page {@code pageNo} as of the last segment of {@code chain} (oldest first, contiguous from frame 1);
     * empty when the database had fewer pages then.
     *
     * @throws RestoreException when no segment after the page's last truncation holds it
     */
    Optional<byte[]> find(List<StoredSegment> chain, int pageNo) {
        StoredSegment target = chain.get(chain.size() - 1);
        int limit = Integer.MAX_VALUE;
        for (int i = chain.size() - 1; i >= 0; i--) {
            StoredSegment segment = chain.get(i);
            int sizeAfter = reader.fetchIndex(segment).sizeAfter();
            if (segment == target && pageNo > sizeAfter) {
                return Optional.empty();
            }
            // A version older than a truncation below the page is stale: a newer segment should have held it.
            limit = Math.min(limit, sizeAfter);
            if (pageNo > limit) {
                break;
            }
            Optional<byte[]> page = reader.readPage(segment, pageNo);
            if (page.isPresent()) {
                return page;
            }
        }
        throw new RestoreException("Page " + pageNo + " of namespace '" + namespace + "' at segment "
                + target.id().format() + " is in no stored segment after frame 1 or its last truncation");
    }
}
