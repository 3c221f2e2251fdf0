package dev.fathom.producer.restore;

import dev.fathom.producer.FathomStorageConfig;
import dev.fathom.producer.storage.S3Clients;
import dev.fathom.producer.storage.StorageProfile;
import dev.fathom.schemas.Namespace;
import dev.fathom.schemas.format.CompactedSegment;
import dev.fathom.schemas.format.PageIndex;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Spliterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The read path of Fathom: restore a namespace, find and list its segments, fetch their indexes and data, and read
 * single pages as of a frame, through named storage profiles. It needs no Kafka: catalogs come from the workers' meta
 * API when {@code meta.urls} is set, and from a bucket listing when that API is unset or unavailable (object storage
 * is the source of truth). {@link dev.fathom.producer.FathomStorage} delegates its read methods here; the CLI uses it
 * directly. Thread-safe; opens one S3 client per profile on first use and closes them in {@link #close}.
 */
public final class FathomReader implements AutoCloseable {

    private final Map<String, StorageProfile> profiles;
    private final ReadSettings settings;
    private final ConcurrentMap<String, ProfileReads> opened = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** What the reader opened for one profile: its client, its catalog (and what it learnt) and segment reader. */
    private record ProfileReads(StorageProfile profile, S3Client s3, SegmentCatalog catalog, KnownSegments known,
                                SegmentReader reader) {
    }

    /** Creates a reader over {@code profiles}; nothing is opened until a profile is used. */
    public FathomReader(List<StorageProfile> profiles, ReadSettings settings) {
        Map<String, StorageProfile> byName = new LinkedHashMap<>();
        profiles.forEach(p -> byName.put(p.name(), p));
        this.profiles = Map.copyOf(byName);
        this.settings = settings;
    }

    /**
     * Creates a reader from the {@code storage.profile*}, {@code meta.*}, {@code restore.*} and {@code page.cache.*}
     * keys of {@code config}; it never connects to Kafka, whatever {@code bootstrap.servers} says.
     */
    public static FathomReader fromConfig(FathomStorageConfig config) {
        return new FathomReader(config.storageProfiles(), config.readSettings());
    }

    /** Returns the stored segments of {@code namespace} in {@code profile}, oldest first. */
    public List<StoredSegment> segments(String namespace, String profile) {
        return reads(profile).catalog().segments(namespace);
    }

    /** Restores without progress reports; see {@link #restore(Path, String, RestoreTarget, String, Consumer)}. */
    public RestoreResult restore(Path target, String namespace, RestoreTarget options, String profile) {
        return restore(target, namespace, options, profile, progress -> { });
    }

    /**
     * Restores {@code namespace} as of {@code options} (segment-boundary granularity) into {@code target}, replaced
     * atomically; every checksum is verified and nothing is left under the target name on failure.
     *
     * @throws RestoreException when no segment matches, one is missing or corrupt (naming it), or I/O fails
     */
    public RestoreResult restore(Path target, String namespace, RestoreTarget options, String profile,
                                 Consumer<RestoreProgress> progress) {
        ProfileReads reads = reads(profile);
        List<StoredSegment> catalog = reads.catalog().segments(namespace);
        return new DatabaseRestorer(reads.s3(), reads.profile().bucket(), reads.profile().codec(),
                settings.restoreParallelism(), Clock.systemUTC())
                .restore(namespace, catalog, options, target, progress);
    }

    /** Returns the newest segment {@code request} selects (end frame ≤ N, sealed_at ≤ T, or the newest at all). */
    public Optional<StoredSegment> findSegment(String namespace, RestoreTarget request, String profile) {
        return listSegments(namespace, request, profile).findFirst();
    }

    /**
     * Returns the segments {@code until} admits, newest first. The catalog is read when the stream's terminal
     * operation starts, not before, and only for segments newer than those this reader has already seen (none when
     * those already reach {@code until}'s frame).
     */
    public Stream<StoredSegment> listSegments(String namespace, RestoreTarget until, String profile) {
        String ns = Namespace.of(namespace).value();
        ProfileReads reads = reads(profile);
        long frameNo = until instanceof RestoreTarget.AtFrame atFrame ? atFrame.frameNo() : Long.MAX_VALUE;
        return StreamSupport.stream(() -> reads.known().covering(ns, frameNo).stream()
                .filter(s -> SegmentChain.fits(s.id(), until))
                .sorted(Comparator.comparingLong((StoredSegment s) -> s.id().endFrameNo()).reversed())
                .spliterator(), Spliterator.ORDERED | Spliterator.NONNULL, false);
    }

    /** Returns the verified page index of {@code segment} of {@code namespace} (cached). */
    public PageIndex fetchSegmentIndex(String namespace, StoredSegment segment, String profile) {
        ProfileReads reads = reads(profile);
        return reads.reader().fetchIndex(NamespaceScopedCatalog.requireOwned(reads.profile().prefix(), namespace,
                segment));
    }

    /** Returns the whole verified compacted segment {@code segment} of {@code namespace}. */
    public CompactedSegment fetchSegmentData(String namespace, StoredSegment segment, String profile) {
        ProfileReads reads = reads(profile);
        return reads.reader().fetchData(NamespaceScopedCatalog.requireOwned(reads.profile().prefix(), namespace,
                segment));
    }

    /**
     * Returns page {@code pageNo} of {@code namespace} as of the newest segment ending at or before {@code atFrameNo},
     * the same bytes a restore to that frame writes, reading only page indexes and one page range. Empty when no
     * segment ends by then or the database had fewer than {@code pageNo} pages at that segment (truncation).
     *
     * @throws RestoreException when the segments have a gap, the page was lost, or an object is missing or corrupt
     */
    public Optional<byte[]> readPage(String namespace, int pageNo, long atFrameNo, String profile) {
        if (pageNo < 1) {
            throw new IllegalArgumentException("Page numbers start at 1, got " + pageNo);
        }
        ProfileReads reads = reads(profile);
        List<StoredSegment> all = reads.known().covering(Namespace.of(namespace).value(), atFrameNo);
        RestoreTarget target = RestoreTarget.atFrame(atFrameNo);
        if (all.stream().noneMatch(s -> SegmentChain.fits(s.id(), target))) {
            return Optional.empty();
        }
        return new PageLookup(namespace, reads.reader()).find(SegmentChain.resolve(namespace, all, target), pageNo);
    }

    private ProfileReads reads(String profile) {
        if (closed) {
            throw new IllegalStateException("This reader is closed (its storage was shut down)");
        }
        StorageProfile known = profiles.get(profile);
        if (known == null) {
            throw new IllegalArgumentException("No storage profile '" + profile + "' is configured for reading;"
                    + " storage.profiles lists " + profiles.keySet() + " (each needs storage.profile.<name>.bucket)");
        }
        return opened.computeIfAbsent(profile, name -> open(known));
    }

    private ProfileReads open(StorageProfile profile) {
        S3Client s3 = S3Clients.create(profile);
        SegmentCatalog bucket = new BucketSegmentCatalog(s3, profile.bucket(), profile.prefix());
        SegmentCatalog answers = settings.metaUrls().isEmpty() ? bucket : new FallbackSegmentCatalog(
                new MetaApiSegmentCatalog(settings.metaUrls(), profile.name(), profile.prefix(),
                        settings.metaRequestTimeout()), bucket);
        // Whatever a catalog answers, reads stay under <prefix>/<namespace>/segments/.
        SegmentCatalog catalog = new NamespaceScopedCatalog(answers, profile.prefix());
        return new ProfileReads(profile, s3, catalog, new KnownSegments(catalog), new SegmentReader(s3,
                profile.bucket(), profile.codec(), settings.pageCacheMaxPages()));
    }

    /** Closes the S3 clients opened so far. Idempotent. */
    @Override
    public void close() {
        closed = true;
        opened.values().forEach(reads -> reads.s3().close());
        opened.clear();
    }
}
