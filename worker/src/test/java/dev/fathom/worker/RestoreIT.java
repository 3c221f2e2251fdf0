package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.producer.FathomStorage;
import dev.fathom.producer.FathomStorageConfig;
import dev.fathom.producer.restore.DatabaseRestorer;
import dev.fathom.producer.restore.RestoreException;
import dev.fathom.producer.restore.RestoreResult;
import dev.fathom.producer.restore.RestoreTarget;
import dev.fathom.schemas.Topics;
import dev.fathom.schemas.format.ObjectKeys;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.S3Server;
import dev.fathom.testkit.SqlWorkload;
import dev.fathom.testkit.SqlWorkload.AutoVacuum;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Restores real SQLite databases from segments made of their own WAL frames (read by the production WalReader through
 * {@link WalSegmenter}), stored through FathomStorage and a worker on a real broker and S3. Each database runs seeded
 * random SQL ({@link SqlWorkload}: tables, indexes, updates, deletes, ALTER TABLE, VACUUM growing and shrinking the
 * file) in one of SQLite's auto_vacuum modes; one to three transactions become one segment. The expected file at each
 * segment boundary is a copy of the database and WAL taken right then, checkpointed with
 * {@code wal_checkpoint(TRUNCATE)}. Restores at the latest point, at 20 random frame numbers and at 20 random times per
 * database must equal that file byte for byte and pass {@code PRAGMA integrity_check}; a corrupt object must stop the
 * restore with a message naming it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RestoreIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.singleNode();
    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int SEGMENTS = 40;
    private static final int RANDOM_POINTS = 20;
    private static final long FIRST_SEALED_AT_MS = 1_764_000_000_000L;
    private static final long SEALED_EVERY_MS = 1000;
    private static final int CHECKPOINT_EVERY = 7;

    /** A database the test writes: its namespace, page size, auto_vacuum mode and workload seed. */
    private record Source(String namespace, int pageSize, AutoVacuum autoVacuum, long seed) {
    }

    /** One stored segment and the database file expected when restoring to it. */
    private record Boundary(SealedSegment segment, Path expected) {
    }

    private static final List<Source> SOURCES = List.of(new Source("sql-none", 4096, AutoVacuum.NONE, 101),
            new Source("sql-full", 1024, AutoVacuum.FULL, 202),
            new Source("sql-incremental", 2048, AutoVacuum.INCREMENTAL, 303));

    @TempDir
    static Path dir;
    private static String bucket;
    private static final Map<String, List<Boundary>> STORED = new LinkedHashMap<>();

    @BeforeAll
    static void writeDatabasesAndStoreTheirSegments() throws Exception {
        Topics topics = WorkerFixture.uniqueTopics("restore");
        bucket = S3.newBucket();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        try (Worker worker = Worker.start(new WorkerConfig(WorkerFixture.config(KAFKA, S3, topics, "restore-workers",
                "w1", bucket, dir.resolve("state"))));
             FathomStorage node = FathomStorage.start(new FathomStorageConfig(
                     WorkerFixture.storageConfig(KAFKA, topics, "node-restore")))) {
            Await.until(TIMEOUT, () -> worker.meta().isRunning(), "the worker's meta service to be RUNNING");
            for (Source source : SOURCES) {
                STORED.put(source.namespace(), writeAndStore(node, source, failures));
            }
            for (Source source : SOURCES) {
                long last = newest(source.namespace()).segment().endFrameNo();
                Await.until(TIMEOUT, () -> node.durableFrameNo(source.namespace()) == last,
                        "frame " + last + " of " + source.namespace() + " to be durable");
            }
        }
        assertTrue(failures.isEmpty(), () -> "store failures: " + failures);
        System.out.printf("RestoreIT: wrote, stored and made durable %d segments of %d databases in %d ms%n",
                SOURCES.size() * SEGMENTS, SOURCES.size(), (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void shouldRestoreEveryDatabaseAtTheLatestPointAndAtRandomFramesAndTimes() throws Exception {
        Random random = new Random(2026);
        DatabaseRestorer restorer = new DatabaseRestorer();
        int restores = 0;
        long start = System.nanoTime();
        for (Source source : SOURCES) {
            List<Boundary> boundaries = STORED.get(source.namespace());
            List<Integer> sizes = boundaries.stream().map(b -> b.segment().sizeAfter()).toList();
            assertTrue(shrinks(sizes), source + " shrinks at some boundary, so size_after truncation is covered: "
                    + sizes);
            Boundary newest = newest(source.namespace());
            Path latest = dir.resolve(source.namespace() + "-latest.db");
            RestoreResult result = restorer.restore(S3.client(), bucket, "", source.namespace(),
                    RestoreTarget.latest(), latest);
            assertEquals(newest.segment().id(), result.segmentId(), "segment restored to by latest");
            assertEquals(newest.segment().sizeAfter(), result.pagesWritten(), "pages written by latest");
            assertRestored(newest, latest);
            restores++;
            for (long frameNo : randomFrames(boundaries, random)) {
                restores += restoreAndCheck(restorer, source.namespace(), RestoreTarget.atFrame(frameNo),
                        b -> b.segment().endFrameNo() <= frameNo);
            }
            for (Instant time : randomTimes(boundaries, random)) {
                restores += restoreAndCheck(restorer, source.namespace(), RestoreTarget.atTime(time),
                        b -> b.segment().sealedAtMs() <= time.toEpochMilli());
            }
            System.out.printf("RestoreIT: %s (%s, page size %d): frames 1..%d, size_after per segment %s%n",
                    source.namespace(), source.autoVacuum(), source.pageSize(), newest.segment().endFrameNo(), sizes);
        }
        assertEquals(SOURCES.size() * (1 + 2 * RANDOM_POINTS), restores);
        System.out.printf("RestoreIT: %d restores checked byte for byte in %d ms%n", restores,
                (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void shouldRefuseToRestoreFromACorruptSegmentObjectNamingIt() throws Exception {
        String ns = SOURCES.get(0).namespace();
        refuseCorrupt(ns, ObjectKeys.dataKey("", ns, newest(ns).segment().id()));
    }

    @Test
    void shouldRefuseToRestoreFromACorruptPageIndexObjectNamingIt() throws Exception {
        String ns = SOURCES.get(1).namespace();
        refuseCorrupt(ns, ObjectKeys.indexKey("", ns, newest(ns).segment().id()));
    }

    /** What a restore target resolves to: the newest boundary accepted by {@code fits}, or none. */
    private int restoreAndCheck(DatabaseRestorer restorer, String namespace, RestoreTarget target,
                                Function<Boundary, Boolean> fits) throws Exception {
        Optional<Boundary> expected = STORED.get(namespace).stream().filter(fits::apply)
                .reduce((older, newer) -> newer);
        Path file = dir.resolve(namespace + "-" + System.nanoTime() + ".db");
        if (expected.isEmpty()) {
            RestoreException e = assertThrows(RestoreException.class,
                    () -> restorer.restore(S3.client(), bucket, "", namespace, target, file), target::toString);
            assertTrue(e.getMessage().contains(namespace) && e.getMessage().contains("No segment"), e.getMessage());
            assertFalse(Files.exists(file), "no file after the failed restore to " + target);
            return 1;
        }
        RestoreResult result = restorer.restore(S3.client(), bucket, "", namespace, target, file);
        assertEquals(expected.get().segment().endFrameNo(), result.endFrameNo(), "end frame restored for " + target);
        assertRestored(expected.get(), file);
        Files.delete(file);
        return 1;
    }

    /** Before the first boundary, 9 strictly between two boundaries, the rest anywhere in 1..end+5. */
    private static List<Long> randomFrames(List<Boundary> boundaries, Random random) {
        List<Long> frames = new ArrayList<>();
        long end = boundaries.get(boundaries.size() - 1).segment().endFrameNo();
        frames.add(Math.max(1, boundaries.get(0).segment().endFrameNo() - 1)); // before the first: a clear error
        while (frames.size() < RANDOM_POINTS / 2) {
            SealedSegment segment = boundaries.get(random.nextInt(boundaries.size())).segment();
            if (segment.endFrameNo() > segment.startFrameNo()) {
                frames.add(segment.startFrameNo() + random.nextLong(segment.endFrameNo() - segment.startFrameNo()));
            }
        }
        while (frames.size() < RANDOM_POINTS) {
            frames.add(1 + random.nextLong(end + 5));
        }
        return frames;
    }

    /** Before the first sealed_at, exactly at one, 1 ms before one, strictly between two, and anywhere around. */
    private static List<Instant> randomTimes(List<Boundary> boundaries, Random random) {
        List<Long> times = new ArrayList<>();
        long first = boundaries.get(0).segment().sealedAtMs();
        long last = boundaries.get(boundaries.size() - 1).segment().sealedAtMs();
        times.add(first - 1 - random.nextInt(5000));
        long some = boundaries.get(random.nextInt(boundaries.size())).segment().sealedAtMs();
        times.add(some);
        times.add(some - 1);
        while (times.size() < RANDOM_POINTS / 2) {
            times.add(boundaries.get(random.nextInt(boundaries.size())).segment().sealedAtMs() + 1
                    + random.nextInt((int) SEALED_EVERY_MS - 1));
        }
        while (times.size() < RANDOM_POINTS) {
            times.add(first - 3000 + random.nextLong(last - first + 6000));
        }
        return times.stream().map(Instant::ofEpochMilli).toList();
    }

    /** Corrupts one byte of object {@code key} in a copy of the objects of {@code namespace}, then restores. */
    private void refuseCorrupt(String namespace, String key) throws Exception {
        String copy = S3.newBucket();
        for (String object : S3.listKeys(bucket, ObjectKeys.segmentsPrefix("", namespace))) {
            S3.client().putObject(b -> b.bucket(copy).key(object), RequestBody.fromBytes(S3.get(bucket, object)));
        }
        byte[] bytes = S3.get(copy, key);
        bytes[bytes.length / 2] ^= (byte) 0xFF;
        S3.client().putObject(b -> b.bucket(copy).key(key), RequestBody.fromBytes(bytes));

        DatabaseRestorer restorer = new DatabaseRestorer();
        Path target = dir.resolve(namespace + "-corrupt.db");
        RestoreException failure = assertThrows(RestoreException.class,
                () -> restorer.restore(S3.client(), copy, "", namespace, RestoreTarget.latest(), target));
        assertTrue(failure.getMessage().contains("s3://" + copy + "/" + key), failure.getMessage());
        assertFalse(Files.exists(target), "no file under the target name after a failed restore");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().contains(namespace + "-corrupt.db")),
                    "no temp file left behind");
        }
        // The boundary before does not need the corrupt object and still restores exactly.
        List<Boundary> boundaries = STORED.get(namespace);
        Boundary previous = boundaries.get(boundaries.size() - 2);
        Path older = dir.resolve(namespace + "-before-corrupt.db");
        restorer.restore(S3.client(), copy, "", namespace, RestoreTarget.atFrame(previous.segment().endFrameNo()),
                older);
        assertRestored(previous, older);
    }

    /**
     * Runs the workload of {@code source}; after every one to three transactions, reads the newly committed WAL
     * frames, seals them into a segment (sealed_at strictly increasing), copies the expected database and stores the
     * segment; every few segments, checkpoints the source WAL.
     */
    private static List<Boundary> writeAndStore(FathomStorage node, Source source, List<Throwable> failures)
            throws Exception {
        String ns = source.namespace();
        Random random = new Random(source.seed());
        List<Boundary> boundaries = new ArrayList<>();
        try (SqlWorkload sql = SqlWorkload.open(dir.resolve(ns + ".db"), source.pageSize(), source.autoVacuum(),
                source.seed())) {
            WalSegmenter segmenter = new WalSegmenter(sql.wal());
            while (boundaries.size() < SEGMENTS) {
                for (int i = 1 + random.nextInt(3); i > 0; i--) {
                    sql.step();
                }
                long sealedAtMs = FIRST_SEALED_AT_MS + boundaries.size() * SEALED_EVERY_MS; // strictly increasing
                Optional<SealedSegment> sealed = segmenter.next(sealedAtMs);
                if (sealed.isEmpty()) {
                    continue; // the transactions changed no page
                }
                Path expected = sql.checkpointedCopy(dir.resolve(ns + "-expected-" + boundaries.size() + ".db"));
                boundaries.add(new Boundary(sealed.get(), expected));
                node.store(ns, sealed.get(), "default", (durable, failure) -> {
                    if (failure != null) {
                        failures.add(failure);
                    }
                });
                if (boundaries.size() % CHECKPOINT_EVERY == 0) {
                    // As the agent does once frames are durable: keeps the WAL (and each expected copy) short, and
                    // the frame numbers must run on across WAL generations.
                    sql.checkpoint();
                    segmenter.checkpointed();
                }
            }
        }
        return boundaries;
    }

    private static Boundary newest(String namespace) {
        List<Boundary> boundaries = STORED.get(namespace);
        return boundaries.get(boundaries.size() - 1);
    }

    private static boolean shrinks(List<Integer> sizes) {
        for (int i = 1; i < sizes.size(); i++) {
            if (sizes.get(i) < sizes.get(i - 1)) {
                return true;
            }
        }
        return false;
    }

    /** Compares the restored file to the expected main database file byte for byte, then checks its integrity. */
    private static void assertRestored(Boundary boundary, Path restored) throws Exception {
        byte[] expected = Files.readAllBytes(boundary.expected());
        byte[] actual = Files.readAllBytes(restored);
        assertEquals((long) boundary.segment().sizeAfter() * boundary.segment().pageSize(), actual.length,
                "size_after pages of " + restored);
        assertArrayEquals(expected, actual, "bytes of " + restored + " vs " + boundary.expected());
        assertEquals("ok", SqlWorkload.integrityCheck(restored), "integrity_check of " + restored);
    }
}
