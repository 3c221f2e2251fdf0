package dev.fathom.cli;

import dev.fathom.producer.restore.BucketSegmentCatalog;
import dev.fathom.producer.restore.FallbackSegmentCatalog;
import dev.fathom.producer.restore.MetaApiSegmentCatalog;
import dev.fathom.producer.restore.NamespaceScopedCatalog;
import dev.fathom.producer.restore.SegmentCatalog;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Where {@code restore} and {@code segments list} learn a namespace's segments, as a picocli mixin: the bucket
 * listing by default, or the workers' meta API ({@code --meta-url}) with the bucket listing as the fallback when no
 * worker answers (object storage stays the source of truth, so Kafka and the workers may be down).
 */
final class CatalogOptions {

    private static final Duration META_TIMEOUT = Duration.ofSeconds(5);

    @Option(names = "--meta-url", paramLabel = "URL", split = ",",
            description = "worker HTTP API base URL(s), e.g. http://localhost:8080, asked in order for the segment"
                    + " list; the bucket is listed when none answers (default: list the bucket)")
    List<URI> metaUrls = new ArrayList<>();

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "default",
            description = "storage profile the segments were stored under, to pick the meta API's entries"
                    + " (default: ${DEFAULT-VALUE})")
    String profile;

    /** The catalog these options select over {@code client}'s bucket of {@code s3}. */
    SegmentCatalog catalog(S3Client client, S3Options s3) {
        SegmentCatalog bucket = new BucketSegmentCatalog(client, s3.bucket, s3.prefix());
        if (metaUrls.isEmpty()) {
            return bucket;
        }
        for (URI url : metaUrls) {
            if (url.getScheme() == null || !url.getScheme().startsWith("http") || url.getHost() == null) {
                throw new UsageException("Invalid value for option '--meta-url': " + url
                        + " (expected http://host:port)");
            }
        }
        // A meta API answer may only name objects of the requested namespace.
        return new NamespaceScopedCatalog(new FallbackSegmentCatalog(new MetaApiSegmentCatalog(metaUrls, profile,
                s3.prefix(), META_TIMEOUT), bucket), s3.prefix());
    }
}
