package dev.fathom.producer.restore;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import dev.fathom.producer.storage.ObjectCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Rebuilds the database file of a namespace from its compacted segments in a bucket without holding a segment or
 * the database in memory. The page indexes are read newest → oldest to decide which segment owns each page of the
 * target state ({@link RestorePlanner}); as soon as a segment's pages are decided, its {@code .seg} object is
 * streamed through a verifying reader, up to {@code parallelism} at a time, while planning goes on with up to
 * {@code parallelism} index fetches of its own; each run of adjacent owned pages is written at its position
 * ({@link PageCopier}) into a temp file next to the target that is fsynced and atomically renamed. Only segments
 * holding a page of the target state are fetched. Any failure stops the other fetches, deletes the temp file and
 * leaves the target untouched. Thread-safe: each restore uses its own threads (closed before it returns);
 * concurrent restores must use different target files.
 */
public final class DatabaseRestorer {

    /** Segment fetches in flight when the caller does not choose (the default of {@code restore.parallelism}). */
    public static final int DEFAULT_PARALLELISM = 4;

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseRestorer.class);
    private static final Duration POOL_SHUTDOWN_WAIT = Duration.ofSeconds(30);
    /**
     * Segment copies planned but not yet ended beyond which planning waits: a few hundred bytes each, so the queue
     * stays small, yet planning (small index fetches) usually finishes long before the copies and the progress
     * totals are known early.
     */
    private static final int MAX_PENDING_COPIES = 4096;

    private final S3Client s3;
    private final String bucket;
    private final ObjectCodec codec;
    private final int parallelism;
    private final Clock clock;

    /**
     * Creates a restorer for {@link #restore(S3Client, String, String, String, RestoreTarget, Path)}, which names
     * the client and bucket per call; timed with the system UTC clock.
     */
    public DatabaseRestorer() {
        this(Clock.systemUTC());
    }

    /** Creates a restorer for the per-call-bucket {@code restore} overload, timed with {@code clock}. */
    public DatabaseRestorer(Clock clock) {
        this.s3 = null;
        this.bucket = null;
        this.codec = ObjectCodec.plaintext();
        this.parallelism = DEFAULT_PARALLELISM;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Creates a restorer reading {@code bucket} through {@code s3} with up to {@code parallelism} segment fetches in
     * flight (and as many page index fetches while planning), timed with the system UTC clock.
     */
    public DatabaseRestorer(S3Client s3, String bucket, int parallelism) {
        this(s3, bucket, parallelism, Clock.systemUTC());
    }

    /** As {@link #DatabaseRestorer(S3Client, String, int)}, timed with {@code clock}. */
    public DatabaseRestorer(S3Client s3, String bucket, int parallelism, Clock clock) {
        this(s3, bucket, ObjectCodec.plaintext(), parallelism, clock);
    }

    /**
     * Creates a restorer reading {@code bucket} through {@code s3}, decoding objects with {@code codec} (the storage
     * profile's: decrypting when it encrypts), with up to {@code parallelism} segment fetches in flight (and as
     * many page index fetches while planning).
     */
    public DatabaseRestorer(S3Client s3, String bucket, ObjectCodec codec, int parallelism, Clock clock) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("Restore parallelism must be >= 1, got " + parallelism);
        }
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.parallelism = parallelism;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Restores {@code namespace} as of {@code target} into {@code targetFile} (replaced atomically), listing the
     * segments in {@code bucket} under {@code prefix}. Kept for callers that hold no catalog; uses
     * {@link #DEFAULT_PARALLELISM} fetches and reports no progress.
     *
     * @throws RestoreException as {@link #restore(String, List, RestoreTarget, Path, Consumer)}
     */
    public RestoreResult restore(S3Client s3, String bucket, String prefix, String namespace, RestoreTarget target,
                                 Path targetFile) {
        List<StoredSegment> catalog = new BucketSegmentCatalog(s3, bucket, prefix).segments(namespace);
        return new DatabaseRestorer(s3, bucket, parallelism, clock)
                .restore(namespace, catalog, target, targetFile, progress -> { });
    }

    /**
     * Restores {@code namespace} as of {@code target} into {@code targetFile} (replaced atomically).
     *
     * @param catalog  every stored segment of the namespace, in any order; the chain is resolved with
     *                 {@link SegmentChain#resolve}
     * @param progress told how far the data phase is, one call at a time (from the restore's threads), values
     *                 never decreasing; first called once planning ended (with the final totals and what the
     *                 copies already read), and the last call of a successful restore reports completion
     * @throws RestoreException when no segment matches, frames are missing, an object is missing or corrupt (the
     *                          message names {@code s3://bucket/key} and the byte offset), pages are missing after
     *                          frame 1, or I/O fails; the target file is then left untouched and no temp file remains
     * @throws IllegalStateException when this restorer was created without a client and bucket
     */
    public RestoreResult restore(String namespace, List<StoredSegment> catalog, RestoreTarget target,
                                 Path targetFile, Consumer<RestoreProgress> progress) {
        if (s3 == null) {
            throw new IllegalStateException("This DatabaseRestorer has no S3 client and bucket; create it with "
                    + "DatabaseRestorer(S3Client, String, int)");
        }
        Objects.requireNonNull(progress, "progress");
        Instant start = clock.instant();
        List<StoredSegment> chain = SegmentChain.resolve(namespace, catalog, target);
        StoredSegment newest = chain.get(chain.size() - 1);
        Path dir = targetFile.toAbsolutePath().getParent();
        Path temp = createTemp(dir, targetFile);
        Filled filled;
        try {
            filled = fill(namespace, chain, temp, progress);
            Files.move(temp, targetFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new RestoreException("Could not write the restore of namespace '" + namespace + "' to "
                    + targetFile + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(temp);
            throw e;
        }
        fsyncDirectory(dir);
        return result(namespace, newest, filled, Duration.between(start, clock.instant()), targetFile);
    }

    /**
     * Plans and copies the owned pages into {@code temp}, overlapped: each owning segment's copy starts as soon as
     * the planner has assigned its pages; then fsyncs the file. Index fetches and copies have a pool each, so index
     * fetches never queue behind copies (and a planner waiting for copies to drain holds no thread a copy needs).
     * Both pools are shut down before returning, so no copy can still write once the temp file is deleted.
     */
    private Filled fill(String namespace, List<StoredSegment> chain, Path temp, Consumer<RestoreProgress> progress)
            throws IOException {
        ExecutorService indexPool = Executors.newFixedThreadPool(parallelism, threads(namespace, "index"));
        ExecutorService copyPool = Executors.newFixedThreadPool(parallelism, threads(namespace, "copy"));
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ProgressCounter counter = new ProgressCounter(progress);
            PageCopier copier = new PageCopier(s3, bucket, codec, out, counter, copyPool, MAX_PENDING_COPIES, clock);
            Instant planStart = clock.instant();
            RestorePlan plan;
            Duration planTime;
            Duration copyTime;
            try {
                plan = new RestorePlanner(s3, bucket, codec, indexPool, parallelism).plan(namespace, chain, copier);
                planTime = Duration.between(planStart, clock.instant());
                counter.planned(plan.segments().size(), plan.dataBytes());
                copier.awaitAll();
                copyTime = copier.startedAt() == null ? Duration.ZERO
                        : Duration.between(copier.startedAt(), clock.instant());
            } catch (RuntimeException | Error e) {
                // A planning failure (missing pages, a bad index) stops the copies already running; a copy's
                // failure that came first is the one reported.
                throw copier.fail(e);
            }
            Instant fsyncStart = clock.instant();
            // The temp file starts empty and exactly pages 1..size_after are written: its size is already exact.
            out.force(true);
            return new Filled(plan, new RestoreResult.Phases(planTime, copyTime,
                    Duration.between(fsyncStart, clock.instant())));
        } finally {
            shutdown(copyPool, namespace);
            shutdown(indexPool, namespace);
        }
    }

    /** A filled temp file's plan and how long each phase took. */
    private record Filled(RestorePlan plan, RestoreResult.Phases phases) {
    }

    private RestoreResult result(String namespace, StoredSegment newest, Filled filled, Duration took,
                                 Path targetFile) {
        RestorePlan plan = filled.plan();
        RestoreResult.Phases phases = filled.phases();
        long dataBytes = plan.dataBytes();
        RestoreResult result = new RestoreResult(namespace, newest.id(), newest.id().endFrameNo(), plan.sizeAfter(),
                plan.segments().size(), dataBytes + plan.indexBytes(), took, plan.indexesRead(), phases);
        double seconds = Math.max(took.toNanos(), 1) / 1e9;
        LOG.info("Restored namespace {} to segment {} into {}: {} pages from {} segments ({} bytes, {} page indexes),"
                        + " {} ms (plan {} ms, copy {} ms overlapping it, fsync {} ms), {} MiB/s with {} fetches in"
                        + " parallel.", namespace, newest.id().format(), targetFile, plan.sizeAfter(),
                plan.segments().size(), dataBytes, plan.indexesRead(), took.toMillis(), phases.plan().toMillis(),
                phases.copy().toMillis(), phases.fsync().toMillis(),
                String.format("%.1f", dataBytes / seconds / (1 << 20)), parallelism);
        return result;
    }

    private static ThreadFactory threads(String namespace, String role) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "fathom-restore-" + namespace + "-" + role + "-"
                    + count.incrementAndGet());
            thread.setDaemon(true); // never keeps a JVM alive; the pool is shut down by the restore anyway
            return thread;
        };
    }

    /** Waits for the restore's threads so none can still write to the temp file once it is deleted. */
    private static void shutdown(ExecutorService pool, String namespace) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(POOL_SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Restore threads of namespace {} still run {} s after the restore ended; leaving them.",
                        namespace, POOL_SHUTDOWN_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path createTemp(Path dir, Path targetFile) {
        try {
            return Files.createTempFile(dir, "." + targetFile.getFileName() + ".", ".restoring");
        } catch (IOException e) {
            throw new RestoreException("Could not create a temp file next to " + targetFile + ": " + e.getMessage(),
                    e);
        }
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for fsync; the rename itself has already happened.
            LOG.debug("Could not fsync directory {} after a restore: {}", dir, e.getMessage());
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            LOG.warn("Could not delete the partial restore file {}: {}", temp, e.getMessage());
        }
    }
}
