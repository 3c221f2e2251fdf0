package dev.fathom.producer.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads WAL files written by real SQLite (sqlite-jdbc) while their connection is open: the frames rebuild the
 * database exactly, invalid or torn frames end the log at the previous commit, reads resume from a position, and
 * a restarted WAL is reported.
 */
class WalReaderTest {

    private static final int PAGE_SIZE = 4096;
    private static final int ALL = Integer.MAX_VALUE;

    @TempDir
    Path dir;
    private LiveDatabase db;
    private Path base;

    @BeforeEach
    void open() throws Exception {
        db = new LiveDatabase(dir.resolve("live.db"), PAGE_SIZE);
        db.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB, n TEXT)");
        db.exec("PRAGMA wal_checkpoint(TRUNCATE)"); // the main file now holds the schema; the WAL is empty
        base = dir.resolve("base.db");
        Files.copy(db.file(), base);
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    @Test
    void shouldReadFramesThatRebuildTheDatabaseAtEveryCommit() throws Exception {
        Path applied = dir.resolve("applied.db");
        Files.copy(base, applied);
        WalPosition position = null;
        List<WalFrame> everything = new ArrayList<>();
        String[][] transactions = workload();
        for (int i = 0; i < transactions.length; i++) {
            db.transaction(transactions[i]);
            WalHeader header = WalReader.readHeader(db.wal()).orElseThrow();
            assertEquals(PAGE_SIZE, header.pageSize());
            assertEquals(WalHeader.FORMAT_VERSION, header.formatVersion());
            if (position == null) {
                position = WalReader.start(header);
            }
            WalBatch batch = WalReader.read(db.wal(), position, ALL);
            assertFalse(batch.saltChanged(), "same WAL generation at transaction " + i);
            assertFalse(batch.isEmpty(), "transaction " + i + " appended frames");
            assertEquals(position.nextIndex(), batch.frames().get(0).index(), "resumes where the last read ended");
            assertTrue(batch.frames().get(batch.frames().size() - 1).isCommit(), "ends on a commit frame");
            assertEquals(1, batch.frames().stream().filter(WalFrame::isCommit).count(), "one commit per txn");
            assertEquals(position.nextIndex() + batch.frames().size(), batch.next().nextIndex());
            LiveDatabase.apply(batch.frames(), applied);
            assertArrayEquals(Files.readAllBytes(db.checkpointedCopy(dir, "expected-" + i + ".db")),
                    Files.readAllBytes(applied), "database after transaction " + i);
            everything.addAll(batch.frames());
            position = batch.next();
        }
        assertEquals("ok", LiveDatabase.integrityCheck(applied));
        long walFrames = (Files.size(db.wal()) - WalHeader.SIZE) / (WalFrame.HEADER_SIZE + PAGE_SIZE);
        assertEquals(walFrames, everything.size(), "every frame of the WAL was read once");
        WalBatch all = WalReader.read(db.wal(), WalReader.start(WalReader.readHeader(db.wal()).orElseThrow()), ALL);
        assertEquals(everything, all.frames(), "one read from the start = the incremental reads");
        assertEquals(position, all.next());
        assertTrue(WalReader.read(db.wal(), position, ALL).isEmpty(), "nothing after the last commit");
    }

    @Test
    void shouldStopAtThePreviousCommitWhenAFrameIsCorrupt() throws Exception {
        db.transaction(workload()[0]);
        long firstCommitEnd = readAll(db.wal()).next().nextIndex();
        db.transaction(workload()[1]);
        long secondEnd = readAll(db.wal()).next().nextIndex();
        assertTrue(secondEnd > firstCommitEnd + 1, "second transaction wrote several frames");
        for (long corrupted : List.of(firstCommitEnd, firstCommitEnd + 1, secondEnd - 1)) {
            for (int inFrame : List.of(3, 10, WalFrame.HEADER_SIZE + 100, WalFrame.HEADER_SIZE + PAGE_SIZE - 1)) {
                Path copy = copyWal("flipped.db-wal");
                long offset = frameOffset(corrupted) + inFrame;
                flip(copy, offset);
                WalBatch batch = readAll(copy);
                assertEquals(firstCommitEnd, batch.next().nextIndex(), "flip at " + offset);
                assertEquals(readAll(db.wal()).frames().subList(0, (int) firstCommitEnd), batch.frames());
            }
        }
        Path copy = copyWal("first-commit-flipped.db-wal");
        flip(copy, frameOffset(firstCommitEnd - 1) + WalFrame.HEADER_SIZE + 7);
        assertTrue(readAll(copy).isEmpty(), "a corrupt first transaction leaves nothing committed");
    }

    @Test
    void shouldIgnoreATornOrUncommittedTail() throws Exception {
        db.transaction(workload()[0]);
        long firstEnd = readAll(db.wal()).next().nextIndex();
        db.transaction(workload()[1]);
        long secondEnd = readAll(db.wal()).next().nextIndex();
        List<WalFrame> first = readAll(db.wal()).frames().subList(0, (int) firstEnd);
        for (long cut : List.of(frameOffset(secondEnd) - 1, frameOffset(secondEnd - 1) + 30,
                frameOffset(secondEnd - 1), frameOffset(firstEnd + 1))) {
            Path copy = copyWal("torn.db-wal");
            try (FileChannel channel = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                channel.truncate(cut);
            }
            WalBatch batch = readAll(copy);
            assertEquals(first, batch.frames(), "WAL cut at byte " + cut);
        }
        Path garbage = copyWal("garbage.db-wal");
        Files.write(garbage, new byte[WalFrame.HEADER_SIZE + PAGE_SIZE], StandardOpenOption.APPEND);
        assertEquals(secondEnd, readAll(garbage).next().nextIndex(), "a zeroed trailing frame is not valid");
    }

    @Test
    void shouldReturnOnlyFramesAppendedAfterAPosition() throws Exception {
        db.transaction(workload()[0]);
        WalBatch first = readAll(db.wal());
        db.transaction(workload()[1]);
        db.transaction(workload()[2]);
        WalBatch later = WalReader.read(db.wal(), first.next(), ALL);
        WalBatch whole = readAll(db.wal());
        assertEquals(whole.frames().subList(first.frames().size(), whole.frames().size()), later.frames());
        assertEquals(whole.next(), later.next());

        WalBatch oneTxn = WalReader.read(db.wal(), first.next(), 1);
        assertEquals(1, oneTxn.frames().stream().filter(WalFrame::isCommit).count(), "maxFrames 1: one txn whole");
        assertTrue(oneTxn.frames().size() > 1, "a transaction is not split by maxFrames");
        WalBatch rest = WalReader.read(db.wal(), oneTxn.next(), 1);
        assertEquals(whole.next(), rest.next(), "the next read returns the following transaction");
    }

    @Test
    void shouldReportASaltChangeAfterTheWalIsTruncatedOrRestarted() throws Exception {
        db.transaction(workload()[0]);
        WalBatch before = readAll(db.wal());
        db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        assertEquals(0, Files.size(db.wal()));
        assertEquals(Optional.empty(), WalReader.readHeader(db.wal()));
        WalBatch empty = WalReader.read(db.wal(), before.next(), ALL);
        assertTrue(empty.isEmpty());
        assertFalse(empty.saltChanged());
        assertEquals(before.next(), empty.next());

        db.transaction("INSERT INTO t(id, v, n) VALUES (100000, randomblob(10), 'after truncate')");
        WalBatch after = WalReader.read(db.wal(), before.next(), ALL);
        assertTrue(after.saltChanged(), "a new WAL generation after the truncate");
        assertEquals(0, after.frames().get(0).index());
        assertNotEquals(before.next().salt1(), after.next().salt1());
        assertEquals(readAll(db.wal()).frames(), after.frames());

        db.transaction(workload()[1]); // a long WAL, then a restart that rewrites it from the start
        WalBatch longWal = WalReader.read(db.wal(), after.next(), ALL);
        db.exec("PRAGMA wal_checkpoint(RESTART)");
        db.transaction("UPDATE t SET n = 'restarted' WHERE id = 100000");
        WalBatch restarted = WalReader.read(db.wal(), longWal.next(), ALL);
        assertTrue(restarted.saltChanged(), "a RESTART checkpoint then a write starts a new generation");
        assertTrue(restarted.frames().size() < longWal.frames().size(),
                "frames of the old generation left in the file are not read: " + restarted.frames().size());
        assertTrue(restarted.frames().get(restarted.frames().size() - 1).isCommit());
    }

    @Test
    void shouldRefuseABadHeaderNamingFileAndOffset() throws Exception {
        db.transaction(workload()[0]);
        Path badMagic = copyWal("bad-magic.db-wal");
        flip(badMagic, 1);
        WalFormatException magic = assertThrows(WalFormatException.class, () -> WalReader.readHeader(badMagic));
        assertTrue(magic.getMessage().contains(badMagic.toString()) && magic.getMessage().contains("magic")
                && magic.getMessage().contains("offset 0"), magic.getMessage());
        assertThrows(WalFormatException.class, () -> WalReader.read(badMagic, readAll(db.wal()).next(), ALL));

        Path badSalt = copyWal("bad-header-checksum.db-wal");
        flip(badSalt, 17);
        WalFormatException checksum = assertThrows(WalFormatException.class, () -> WalReader.readHeader(badSalt));
        assertTrue(checksum.getMessage().contains("checksum") && checksum.getMessage().contains("offset 24"),
                checksum.getMessage());

        Path badVersion = copyWal("bad-version.db-wal");
        flip(badVersion, 6);
        assertTrue(assertThrows(WalFormatException.class, () -> WalReader.readHeader(badVersion)).getMessage()
                .contains("offset 4"));

        Path shortWal = dir.resolve("short.db-wal");
        Files.write(shortWal, new byte[31]);
        assertEquals(Optional.empty(), WalReader.readHeader(shortWal));
        assertEquals(Optional.empty(), WalReader.readHeader(dir.resolve("missing.db-wal")));
    }

    @Test
    void shouldHonourBigEndianChecksums() throws Exception {
        db.transaction(workload()[0]);
        db.transaction(workload()[1]);
        WalBatch littleEndian = readAll(db.wal());
        Path bigEndian = BigEndianWal.rewrite(db.wal(), dir.resolve("big-endian.db-wal"), PAGE_SIZE);
        WalHeader header = WalReader.readHeader(bigEndian).orElseThrow();
        assertTrue(header.bigEndianChecksums());
        assertEquals(littleEndian.frames(), readAll(bigEndian).frames());
    }

    private static WalBatch readAll(Path wal) throws Exception {
        return WalReader.read(wal, WalReader.start(WalReader.readHeader(wal).orElseThrow()), ALL);
    }

    private Path copyWal(String name) throws Exception {
        return Files.copy(db.wal(), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    private static long frameOffset(long index) {
        return WalHeader.SIZE + index * (WalFrame.HEADER_SIZE + PAGE_SIZE);
    }

    private static void flip(Path file, long offset) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) offset] ^= 0x40;
        Files.write(file, bytes);
    }

    private static String rows(int from, int to, int blobBytes) {
        return "WITH RECURSIVE s(x) AS (SELECT " + from + " UNION ALL SELECT x + 1 FROM s WHERE x < " + to + ") "
                + "INSERT INTO t(id, v, n) SELECT x, randomblob(" + blobBytes + "), 'n' || x FROM s";
    }

    /** Transactions of several frames each: inserts with blobs, an index, updates and deletes. */
    private static String[][] workload() {
        return new String[][] {
            {rows(1, 60, 700)},
            {"CREATE INDEX t_n ON t(n)", "UPDATE t SET v = randomblob(2500) WHERE id % 4 = 0", rows(61, 160, 300)},
            {"DELETE FROM t WHERE id % 3 = 0"},
            {"ALTER TABLE t ADD COLUMN extra TEXT", "UPDATE t SET extra = hex(randomblob(40)) WHERE id < 50"},
            {"DELETE FROM t WHERE id > 20"},
            {"VACUUM"},
            {rows(1000, 1400, 1500)},
        };
    }
}
