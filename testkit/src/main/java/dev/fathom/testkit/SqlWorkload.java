package dev.fathom.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;

/**
 * Drives a real SQLite database (sqlite-jdbc) with seeded random write transactions: tables created and dropped,
 * indexes created and dropped, inserts of rows with BLOBs (some spilling into overflow pages), updates, deletes,
 * {@code ALTER TABLE ADD COLUMN}, bulk inserts that grow the file, delete-most followed by {@code VACUUM} that shrinks
 * it, and, per {@link AutoVacuum} mode, shrinking commits ({@code FULL}) or {@code PRAGMA incremental_vacuum}.
 *
 * <p>The database runs in WAL mode with its connection held open (SQLite checkpoints and deletes the WAL when the
 * last connection closes). With {@link Checkpoints#NONE} automatic checkpoints are off, so the WAL keeps every
 * frame; the other modes add the application's own checkpoints, as a real application's would. The sequence of
 * statements is a function of the seed and the settings. Not thread-safe; close it to release the connection.
 */
public final class SqlWorkload implements AutoCloseable {

    /** SQLite's {@code auto_vacuum} modes, set before the first table is created. */
    public enum AutoVacuum { NONE, FULL, INCREMENTAL }

    /** Which checkpoints the application runs itself, after some of its transactions. */
    public enum Checkpoints {
        /** automatic checkpoints off and no explicit ones: the WAL only changes when someone else checkpoints */
        NONE,
        /** SQLite's automatic PASSIVE checkpoints plus an explicit PASSIVE one after one step in ten */
        PASSIVE,
        /** as PASSIVE, plus an explicit TRUNCATE (which restarts the WAL) after one step in ten */
        TRUNCATE
    }

    /**
     * What one {@link #step()} did.
     *
     * @param number 1-based step number
     * @param kind the kind of transaction, e.g. {@code bulk-insert}
     * @param description the statements in short, for failure messages
     */
    public record Step(int number, String kind, String description) {
    }

    private final Path db;
    private final Connection connection;
    private final Checkpoints checkpoints;
    private final Random random;
    private final RandomTransactions transactions;
    private int steps;

    private SqlWorkload(Path db, Connection connection, AutoVacuum autoVacuum, Checkpoints checkpoints, long seed) {
        this.db = db;
        this.connection = connection;
        this.checkpoints = checkpoints;
        this.random = new Random(seed);
        this.transactions = new RandomTransactions(connection, random, autoVacuum);
    }

    /**
     * Creates database {@code db} (which must not exist yet) with {@code pageSize} and {@code autoVacuum}, in WAL
     * mode with {@code wal_autocheckpoint=0}.
     */
    public static SqlWorkload open(Path db, int pageSize, AutoVacuum autoVacuum, long seed) throws SQLException {
        return open(db, pageSize, autoVacuum, Checkpoints.NONE, seed);
    }

    /**
     * Creates database {@code db} (which must not exist yet) with {@code pageSize} and {@code autoVacuum}, in WAL
     * mode, whose application runs {@code checkpoints} itself.
     */
    public static SqlWorkload open(Path db, int pageSize, AutoVacuum autoVacuum, Checkpoints checkpoints, long seed)
            throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        SqlWorkload workload = new SqlWorkload(db, c, autoVacuum, checkpoints, seed);
        workload.transactions.exec("PRAGMA busy_timeout=10000", "PRAGMA page_size=" + pageSize,
                "PRAGMA auto_vacuum=" + autoVacuum.name(), "PRAGMA journal_mode=WAL",
                "PRAGMA wal_autocheckpoint=" + (checkpoints == Checkpoints.NONE ? 0 : 1000));
        return workload;
    }

    /** The main database file. */
    public Path file() {
        return db;
    }

    /** The WAL file ({@code <db>-wal}). */
    public Path wal() {
        return Path.of(db + "-wal");
    }

    /**
     * Runs one write transaction chosen at random (the first creates a table; a delete-most is followed by a
     * {@code VACUUM}) and returns what it did. A transaction that changes no page (e.g. a delete matching no row)
     * appends nothing to the WAL.
     */
    public Step step() throws SQLException {
        steps++;
        RandomTransactions.Done done = transactions.next();
        return new Step(steps, done.kind(), done.description() + applicationCheckpoint());
    }

    /** Runs {@code VACUUM} as a step of its own (it rebuilds the file, and shrinks it after deletes). */
    public Step vacuum() throws SQLException {
        steps++;
        return new Step(steps, "vacuum", transactions.exec("VACUUM"));
    }

    /** Runs {@code count} random transactions ({@link #step()}). */
    public void run(int count) throws SQLException {
        for (int i = 0; i < count; i++) {
            step();
        }
    }

    /**
     * Inserts {@code rows} rows with a random BLOB of exactly {@code blobBytes} each in one transaction (creating a
     * table first if there is none): large BLOBs live in long overflow-page chains, and many of them make one
     * transaction as large as wanted.
     */
    public Step insertLargeBlobs(int rows, int blobBytes) throws SQLException {
        steps++;
        return new Step(steps, "large-blobs", transactions.insertLargeBlobs(rows, blobBytes));
    }

    /**
     * Copies the database and its WAL (if any) to {@code target} and {@code target-wal} and checkpoints the copy with
     * {@code wal_checkpoint(TRUNCATE)}: {@code target} is then the database file as of the last commit. Call it
     * while the application does not write; a checkpoint by another process during the copy can tear it, so
     * callers that run beside one compare in a retry loop.
     */
    public Path checkpointedCopy(Path target) throws SQLException {
        Path targetWal = Path.of(target + "-wal");
        try {
            Files.copy(db, target, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(Path.of(target + "-shm")); // a stale index of an earlier copy would be trusted
            if (Files.exists(wal())) {
                Files.copy(wal(), targetWal, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(targetWal);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Could not copy " + db + " and its WAL to " + target, e);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + target);
             Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        return target;
    }

    /** Checkpoints the WAL into the main file and truncates it ({@code wal_checkpoint(TRUNCATE)}). */
    public void checkpoint() throws SQLException {
        transactions.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }

    /** Returns the database's size in pages as of the last commit ({@code PRAGMA page_count}). */
    public long pageCount() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA page_count")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Returns the first row of {@code PRAGMA integrity_check} on {@code file}: {@code ok} when it is sound. */
    public static String integrityCheck(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            return rs.next() ? rs.getString(1) : "no result";
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    /** After a step, the application's own checkpoint per {@link #checkpoints}; returns what ran, for messages. */
    private String applicationCheckpoint() throws SQLException {
        if (checkpoints == Checkpoints.NONE) {
            return ""; // no roll: the NONE sequence stays what it was before checkpoint modes existed
        }
        int roll = random.nextInt(10);
        if (roll == 0) {
            return "; " + transactions.exec("PRAGMA wal_checkpoint(PASSIVE)");
        }
        if (roll == 1 && checkpoints == Checkpoints.TRUNCATE) {
            return "; " + transactions.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        return "";
    }
}
