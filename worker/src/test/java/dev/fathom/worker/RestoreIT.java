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
import dev.fathom.schemas.format.Frame;
import dev.fathom.schemas.format.ObjectKeys;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.S3Server;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Restores a real SQLite database from segments made of its own WAL frames and stored through FathomStorage and a
 * worker on a real broker and S3. The expected bytes at each segment boundary are a copy of the database and WAL
 * taken right after the transaction, checkpointed with {@code wal_checkpoint(TRUNCATE)}; the restored file must
 * equal that main database file byte for byte and pass {@code PRAGMA integrity_check}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RestoreIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.singleNode();
    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String NS = "restore-db";
    private static final long SEALED_AT_MS = 1_764_000_000_000L;
    private static final int WAL_HEADER = 32;
    private static final int FRAME_HEADER = 24;

    @TempDir
    Path dir;

    /** One stored segment and the database file expected when restoring to it. */
    private record Boundary(SealedSegment segment, Path expected) {
    }

    @Test
    void shouldRestoreARealSqliteDatabaseAtEveryBoundaryAndRefuseACorruptSegment() throws Exception {
        Topics topics = WorkerFixture.uniqueTopics("restore");
        String bucket = S3.newBucket();
        List<Boundary> boundaries;
        try (Worker worker = Worker.start(new WorkerConfig(WorkerFixture.config(KAFKA, S3, topics, "restore-workers",
                "w1", bucket, dir.resolve("state"))));
             FathomStorage node = FathomStorage.start(new FathomStorageConfig(
                     WorkerFixture.storageConfig(KAFKA, topics, "node-restore")))) {
            Await.until(TIMEOUT, () -> worker.meta().isRunning(), "the worker's meta service to be RUNNING");
            boundaries = writeDatabase(node);
            long last = boundaries.get(boundaries.size() - 1).segment().endFrameNo();
            Await.until(TIMEOUT, () -> node.durableFrameNo(NS) == last, "frame " + last + " of " + NS
                    + " to be durable");
        }
        List<Integer> sizes = boundaries.stream().map(b -> b.segment().sizeAfter()).toList();
        assertTrue(sizes.get(sizes.size() - 1) < sizes.get(sizes.size() - 2),
                "the last transaction shrinks the database (auto_vacuum), so size_after truncation is covered: " + sizes);
        DatabaseRestorer restorer = new DatabaseRestorer();
        for (int i = 0; i < boundaries.size(); i++) {
            Boundary b = boundaries.get(i);
            RestoreResult byFrame = restorer.restore(S3.client(), bucket, "", NS,
                    RestoreTarget.atFrame(b.segment().endFrameNo()), dir.resolve("by-frame-" + i + ".db"));
            assertEquals(b.segment().endFrameNo(), byFrame.endFrameNo(), "end frame restored to at boundary " + i);
            assertRestored(b, dir.resolve("by-frame-" + i + ".db"));
            restorer.restore(S3.client(), bucket, "", NS,
                    RestoreTarget.atTime(Instant.ofEpochMilli(b.segment().sealedAtMs() + 500)),
                    dir.resolve("by-time-" + i + ".db"));
            assertRestored(b, dir.resolve("by-time-" + i + ".db"));
        }
        Boundary newest = boundaries.get(boundaries.size() - 1);
        RestoreResult latest = restorer.restore(S3.client(), bucket, "", NS, RestoreTarget.latest(),
                dir.resolve("latest.db"));
        assertEquals(newest.segment().id(), latest.segmentId(), "segment restored to by latest");
        assertRestored(newest, dir.resolve("latest.db"));
        assertEquals(newest.segment().sizeAfter(), latest.pagesWritten(), "pages written by latest");
        System.out.printf("RestoreIT: size_after per segment %s; latest read %d segments, %d bytes in %s%n", sizes,
                latest.segmentsRead(), latest.bytesFetched(), latest.duration());

        String corruptKey = corrupt(bucket, newest.segment());
        Path target = dir.resolve("corrupt.db");
        RestoreException failure = assertThrows(RestoreException.class,
                () -> restorer.restore(S3.client(), bucket, "", NS, RestoreTarget.latest(), target));
        assertTrue(failure.getMessage().contains("s3://" + bucket + "/" + corruptKey), failure.getMessage());
        assertFalse(Files.exists(target), "no file under the target name after a failed restore");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().contains("corrupt.db")),
                    "no temp file left behind");
        }
    }

    /** Runs the transactions; after each, seals its WAL frames into a segment and stores it. */
    private List<Boundary> writeDatabase(FathomStorage node) throws Exception {
        Path db = dir.resolve("source.db");
        List<Boundary> boundaries = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Random random = new Random(42);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            exec(c, "PRAGMA page_size=4096", "PRAGMA auto_vacuum=FULL", "PRAGMA journal_mode=WAL",
                    "PRAGMA wal_autocheckpoint=0");
            WalCursor wal = new WalCursor(Path.of(db + "-wal"));
            List<Runnable> transactions = transactions(c, random);
            for (int i = 0; i < transactions.size(); i++) {
                transactions.get(i).run();
                List<Frame> frames = wal.nextCommittedFrames();
                SealedSegment segment = SealedSegment.of(wal.pageSize(), SEALED_AT_MS + i * 1000L, frames);
                boundaries.add(new Boundary(segment, expectedAt(db, i)));
                node.store(NS, segment, "default", (durable, failure) -> {
                    if (failure != null) {
                        failures.add(failure);
                    }
                });
            }
        }
        assertTrue(failures.isEmpty(), () -> "store failures: " + failures);
        return boundaries;
    }

    private static List<Runnable> transactions(Connection c, Random random) {
        return List.of(
                () -> exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB, n TEXT)", "CREATE INDEX t_n ON t(n)"),
                () -> insert(c, random, 1, 200),
                () -> exec(c, "UPDATE t SET v = randomblob(3000), n = 'u' || id WHERE id % 3 = 0"),
                () -> exec(c, "DELETE FROM t WHERE id % 2 = 0"),
                () -> insert(c, random, 1000, 100),
                () -> exec(c, "DELETE FROM t WHERE id < 150")); // auto_vacuum=FULL: the file shrinks
    }

    private static void insert(Connection c, Random random, int firstId, int rows) {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO t(id, v, n) VALUES (?, ?, ?)")) {
            c.setAutoCommit(false);
            for (int id = firstId; id < firstId + rows; id++) {
                byte[] blob = new byte[100 + random.nextInt(2900)];
                random.nextBytes(blob);
                insert.setInt(1, id);
                insert.setBytes(2, blob);
                insert.setString(3, "n" + random.nextInt(1000));
                insert.executeUpdate();
            }
            c.commit();
            c.setAutoCommit(true);
        } catch (SQLException e) {
            throw new IllegalStateException("Insert of rows " + firstId + ".. failed", e);
        }
    }

    private static void exec(Connection c, String... sqls) {
        try (Statement s = c.createStatement()) {
            for (String sql : sqls) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed: " + String.join("; ", sqls), e);
        }
    }

    /** Copies db + WAL (no writer is active) and checkpoints the copy: the main file = the database at this point. */
    private Path expectedAt(Path db, int index) throws Exception {
        Path copy = dir.resolve("expected-" + index + ".db");
        Files.copy(db, copy, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Path.of(db + "-wal"), Path.of(copy + "-wal"), StandardCopyOption.REPLACE_EXISTING);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy)) {
            exec(c, "PRAGMA wal_checkpoint(TRUNCATE)");
        }
        return copy;
    }

    /** Compares the restored file to the expected main database file byte for byte, then checks its integrity. */
    private static void assertRestored(Boundary boundary, Path restored) throws Exception {
        byte[] expected = Files.readAllBytes(boundary.expected());
        byte[] actual = Files.readAllBytes(restored);
        assertEquals(expected.length, actual.length, "size of " + restored);
        assertEquals((long) boundary.segment().sizeAfter() * boundary.segment().pageSize(), actual.length,
                "size_after pages of " + restored);
        assertArrayEquals(expected, actual, "bytes of " + restored + " vs " + boundary.expected());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + restored);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            assertTrue(rs.next());
            assertEquals("ok", rs.getString(1), "integrity_check of " + restored);
        }
    }

    /** Flips one byte in the middle of the segment's .seg object; returns its key. */
    private static String corrupt(String bucket, SealedSegment segment) {
        String key = ObjectKeys.dataKey("", NS, segment.id());
        byte[] bytes = S3.get(bucket, key);
        bytes[bytes.length / 2] ^= (byte) 0xFF;
        S3.client().putObject(PutObjectRequest.builder().bucket(bucket).key(key).build(), RequestBody.fromBytes(bytes));
        return key;
    }

    /**
     * Reads the WAL frames appended since the last call, up to the last valid commit frame; a frame is valid when its
     * salts equal the WAL header's. Fathom frame numbers continue across calls. Not thread-safe.
     */
    private static final class WalCursor {
        private final Path wal;
        private int pageSize;
        private long walFramesRead;
        private long nextFrameNo = 1;

        WalCursor(Path wal) {
            this.wal = wal;
        }

        int pageSize() {
            return pageSize;
        }

        List<Frame> nextCommittedFrames() throws IOException {
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(wal)); // big-endian
            int magic = bytes.getInt(0);
            assertTrue(magic == 0x377f0682 || magic == 0x377f0683, "WAL magic " + Integer.toHexString(magic));
            pageSize = bytes.getInt(8);
            int salt1 = bytes.getInt(16);
            int salt2 = bytes.getInt(20);
            List<Frame> pending = new ArrayList<>();
            List<Frame> committed = new ArrayList<>();
            long frame = walFramesRead;
            long committedWalFrames = walFramesRead;
            while (true) {
                long offset = WAL_HEADER + frame * (FRAME_HEADER + pageSize);
                if (offset + FRAME_HEADER + pageSize > bytes.capacity()
                        || bytes.getInt((int) offset + 8) != salt1 || bytes.getInt((int) offset + 12) != salt2) {
                    break;
                }
                byte[] page = new byte[pageSize];
                bytes.get((int) offset + FRAME_HEADER, page);
                int sizeAfter = bytes.getInt((int) offset + 4);
                pending.add(new Frame(bytes.getInt((int) offset), sizeAfter, nextFrameNo + committed.size()
                        + pending.size(), page));
                frame++;
                if (sizeAfter != 0) {
                    committed.addAll(pending);
                    pending.clear();
                    committedWalFrames = frame;
                }
            }
            assertFalse(committed.isEmpty(), "the transaction appended committed WAL frames");
            walFramesRead = committedWalFrames;
            nextFrameNo += committed.size();
            return committed;
        }
    }
}
