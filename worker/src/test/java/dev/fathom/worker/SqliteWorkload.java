package dev.fathom.worker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;

/**
 * An application writing random transactions to a real SQLite database in WAL mode through sqlite-jdbc: inserts,
 * updates and deletes of rows with BLOBs, schema changes, VACUUM, large BLOBs and, as configured, its own checkpoints
 * (SQLite's automatic PASSIVE ones, explicit PASSIVE ones, explicit TRUNCATE ones). Keeps its connection open. Not
 * thread-safe.
 */
final class SqliteWorkload implements AutoCloseable {

    private final Path db;
    private final Connection connection;
    private final Random random;
    private int tables = 1;
    private int nextId = 1;
    private final Checkpoints checkpoints;

    /** Which checkpoints the application runs itself. */
    enum Checkpoints {
        /** none: automatic checkpoints off, no explicit ones (the WAL only changes when the agent checkpoints) */
        NONE,
        /** SQLite's automatic PASSIVE checkpoints and explicit PASSIVE ones */
        PASSIVE,
        /** PASSIVE plus explicit TRUNCATE ones, which restart the WAL behind the agent's back */
        TRUNCATE
    }

    SqliteWorkload(Path db, long seed, Checkpoints checkpoints) throws SQLException {
        this.db = db;
        this.random = new Random(seed);
        this.checkpoints = checkpoints;
        this.connection = DriverManager.getConnection("jdbc:sqlite:" + db);
        exec("PRAGMA busy_timeout=10000", "PRAGMA journal_mode=WAL",
                "CREATE TABLE IF NOT EXISTS t0(id INTEGER PRIMARY KEY, v BLOB, n TEXT)");
        if (checkpoints == Checkpoints.NONE) {
            exec("PRAGMA wal_autocheckpoint=0");
        }
    }

    /** Runs {@code count} random transactions. */
    void run(int count) throws SQLException {
        for (int i = 0; i < count; i++) {
            step();
        }
    }

    private void step() throws SQLException {
        int dice = random.nextInt(100);
        String table = "t" + random.nextInt(tables);
        if (dice < 45) {
            insert(table, 1 + random.nextInt(40), 3000);
        } else if (dice < 60) {
            exec("UPDATE " + table + " SET v = randomblob(" + (100 + random.nextInt(4000)) + "), n = 'u' || id"
                    + " WHERE id % " + (2 + random.nextInt(5)) + " = 0");
        } else if (dice < 72) {
            exec("DELETE FROM " + table + " WHERE id % " + (3 + random.nextInt(5)) + " = 1");
        } else if (dice < 80) {
            exec("CREATE TABLE t" + tables + "(id INTEGER PRIMARY KEY, v BLOB, n TEXT)",
                    "CREATE INDEX t" + tables + "_n ON t" + tables + "(n)");
            tables++;
        } else if (dice < 85) {
            exec("ALTER TABLE " + table + " ADD COLUMN c" + random.nextInt(1_000_000) + " TEXT DEFAULT 'x'");
        } else if (dice < 88) {
            exec("VACUUM");
        } else if (dice < 91) {
            insert(table, 1, 1 + 2 * 1024 * 1024); // a BLOB of about 2 MiB: overflow pages
        } else if (dice < 95 && checkpoints != Checkpoints.NONE) {
            exec("PRAGMA wal_checkpoint(PASSIVE)");
        } else if (checkpoints == Checkpoints.TRUNCATE) {
            exec("PRAGMA wal_checkpoint(TRUNCATE)");
        } else {
            insert(table, 1, 500);
        }
    }

    /** Inserts {@code rows} rows with random BLOBs of up to {@code maxBlob} bytes in one transaction. */
    void insert(String table, int rows, int maxBlob) throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + "(id, v, n) VALUES"
                + " (?, ?, ?)")) {
            for (int r = 0; r < rows; r++) {
                byte[] blob = new byte[1 + random.nextInt(maxBlob)];
                random.nextBytes(blob);
                insert.setInt(1, nextId++);
                insert.setBytes(2, blob);
                insert.setString(3, "n" + random.nextInt(1000));
                insert.executeUpdate();
            }
            connection.commit();
        } finally {
            connection.setAutoCommit(true);
        }
    }

    void exec(String... sqls) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String sql : sqls) {
                s.execute(sql);
            }
        }
    }

    /**
     * Copies the database and its WAL and checkpoints the copy: its main file is then the database as the
     * application sees it now (call it while the application does not write). A checkpoint running concurrently
     * can tear the copy; callers compare in a retry loop.
     */
    Path checkpointedCopy(Path copy) throws Exception {
        Files.copy(db, copy, StandardCopyOption.REPLACE_EXISTING);
        Path wal = Path.of(db + "-wal");
        Path copyWal = Path.of(copy + "-wal");
        Files.deleteIfExists(Path.of(copy + "-shm"));
        if (Files.exists(wal)) {
            Files.copy(wal, copyWal, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.deleteIfExists(copyWal);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy);
             Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        return copy;
    }

    /** Returns {@code PRAGMA integrity_check} of {@code file}. */
    static String integrityCheck(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
