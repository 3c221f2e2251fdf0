package dev.fathom.producer.restore;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * How a {@link FathomReader} reads: which workers' meta API to ask for catalogs, how long to wait for it, how many
 * segments a restore fetches at once and how many pages it caches. Immutable, thread-safe.
 *
 * @param metaUrls           worker HTTP base URLs (e.g. {@code http://worker-1:8080}); empty = list the bucket only
 * @param metaRequestTimeout connect and request timeout of one meta API call
 * @param restoreParallelism most segment objects a restore fetches concurrently, >= 1
 * @param pageCacheMaxPages  pages' worth of page indexes and pages cached per storage profile, >= 0
 */
public record ReadSettings(List<URI> metaUrls, Duration metaRequestTimeout, int restoreParallelism,
                           int pageCacheMaxPages) {

    /** Validates and copies the settings. */
    public ReadSettings {
        metaUrls = List.copyOf(metaUrls);
        if (metaRequestTimeout.isNegative() || metaRequestTimeout.isZero()) {
            throw new IllegalArgumentException("The meta API timeout must be positive, got " + metaRequestTimeout);
        }
        if (restoreParallelism < 1) {
            throw new IllegalArgumentException("Restore parallelism must be >= 1, got " + restoreParallelism);
        }
        if (pageCacheMaxPages < 0) {
            throw new IllegalArgumentException("The page cache size must be >= 0 pages, got " + pageCacheMaxPages);
        }
    }

    /** Bucket listing only, 5 s meta timeout, 4 parallel fetches, 256 cached pages: the configuration defaults. */
    public static ReadSettings defaults() {
        return new ReadSettings(List.of(), Duration.ofSeconds(5), 4, 256);
    }

    /** Returns these settings asking {@code urls} for catalogs. */
    public ReadSettings withMetaUrls(List<URI> urls) {
        return new ReadSettings(urls, metaRequestTimeout, restoreParallelism, pageCacheMaxPages);
    }
}
