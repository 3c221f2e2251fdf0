package dev.fathom.producer.agent;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A real SQLite database in WAL mode with automatic checkpoints off and its connection held open, so its WAL keeps
 * every frame (SQLite checkpoints and deletes the WAL when the last connection closes). Not thread-safe.
 */
final class LiveDatabase implements AutoCloseable {

    private final Path db;
    private final Connection connection;

    LiveDatabase(Path db, int pageSize) throws SQLException {
        this.db = db;
        this.connection = DriverManager.getConnection("jdbc:sqlite:" + db);
        exec("PRAGMA page_size=" + pageSize, "PRAGMA journal_mode=WAL", "PRAGMA wal_autocheckpoint=0");
    }

    Path file() {
        return db;
    }

    Path wal() {
        return Path.of(db + "-wal");
    }

    /** Runs the statements in one transaction ({@code VACUUM} alone: SQLite refuses it inside one). */
    void transaction(String... sqls) throws SQLException {
        if (sqls.length == 1 && sqls[0].equals("VACUUM")) {
            exec(sqls);
            return;
        }
        connection.setAutoCommit(false);
        exec(sqls);
        connection.commit();
        connection.setAutoCommit(true);
    }

    void exec(String... sqls) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String sql : sqls) {
                s.execute(sql);
            }
        }
    }

    /**
     * Copies the main file and WAL into {@code dir} and checkpoints the copy with {@code wal_checkpoint(TRUNCATE)}:
     * the returned main file is the database as of the last commit.
     */
    Path checkpointedCopy(Path dir, String name) throws IOException, SQLException {
        Path copy = dir.resolve(name);
        Files.copy(db, copy, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(wal(), Path.of(copy + "-wal"), StandardCopyOption.REPLACE_EXISTING);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy);
             Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        return copy;
    }

    /** Writes each frame's page into {@code file} and truncates it to the size a commit frame gives. */
    static void apply(List<WalFrame> frames, Path file) throws IOException {
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            for (WalFrame frame : frames) {
                out.seek((long) (frame.pageNo() - 1) * frame.page().length);
                out.write(frame.page());
                if (frame.isCommit()) {
                    out.setLength((long) frame.commitSize() * frame.page().length);
                }
            }
        }
    }

    /** Returns the single-column result of {@code PRAGMA integrity_check} on {@code file}. */
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
