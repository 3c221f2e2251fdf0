package dev.fathom.producer.restore;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks a primary catalog (the meta API) and, when it is unavailable (no answer, timeout, HTTP 5xx), the fallback
 * (the bucket listing, object storage being the source of truth), so reads and restores keep working while Kafka or
 * the workers are down. Errors other than unavailability are not hidden. Logs a WARN when the primary becomes
 * unavailable and an INFO when it answers again, not one per call. Thread-safe when both catalogs are.
 */
public final class FallbackSegmentCatalog implements SegmentCatalog {

    private static final Logger log = LoggerFactory.getLogger(FallbackSegmentCatalog.class);

    private final SegmentCatalog primary;
    private final SegmentCatalog fallback;
    private final AtomicLong consecutiveFailures = new AtomicLong();

    /** Creates a catalog asking {@code primary} first and {@code fallback} when the primary is unavailable. */
    public FallbackSegmentCatalog(SegmentCatalog primary, SegmentCatalog fallback) {
        this.primary = primary;
        this.fallback = fallback;
    }

    @Override
    public List<StoredSegment> segments(String namespace) {
        return ask(namespace, primary::segments, fallback::segments);
    }

    @Override
    public List<StoredSegment> segmentsStartingAfter(String namespace, long frameNo) {
        return ask(namespace, ns -> primary.segmentsStartingAfter(ns, frameNo),
                ns -> fallback.segmentsStartingAfter(ns, frameNo));
    }

    private List<StoredSegment> ask(String namespace, Function<String, List<StoredSegment>> first,
                                    Function<String, List<StoredSegment>> second) {
        List<StoredSegment> segments;
        try {
            segments = first.apply(namespace);
        } catch (CatalogUnavailableException e) {
            if (consecutiveFailures.incrementAndGet() == 1) {
                log.warn("{}; reading the segments of namespace {} from {} instead", e.getMessage(), namespace,
                        fallback);
            } else {
                log.debug("Reading the segments of namespace {} from {}: {}", namespace, fallback, e.getMessage());
            }
            return second.apply(namespace);
        }
        long failures = consecutiveFailures.getAndSet(0);
        if (failures > 0) {
            log.info("{} answers again after {} failed segment queries", primary, failures);
        }
        return segments;
    }

    @Override
    public String toString() {
        return primary + ", falling back to " + fallback;
    }
}
