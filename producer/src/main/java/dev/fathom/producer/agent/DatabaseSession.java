package dev.fathom.producer.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The agent's own SQLite connection to one database, and the read transaction it holds between polls.
 *
 * <p>Why hold a read transaction (Litestream's approach): SQLite may restart the WAL (write new frames from its start
 * under new salts) only when every frame was checkpointed into the database file and no reader holds a WAL read
 * lock; a checkpoint may only copy frames into the database file up to the oldest reader's snapshot. While this
 * connection holds a read transaction, frames the agent has not read yet can therefore neither be overwritten nor
 * disappear into the database file. The agent releases it only around its own checkpoints, and proves with
 * {@code PRAGMA data_version} that no other connection committed meanwhile. Keeping the connection open also stops
 * SQLite from checkpointing and deleting the WAL when the application closes its last connection.
 *
 * <p>Not thread-safe; owned by the database's tailer, which closes it.
 */
final class DatabaseSession implements AutoCloseable {

    /** The result row of {@code PRAGMA wal_checkpoint}: blocked flag, frames in the WAL, frames checkpointed. */
    record Checkpoint(boolean busy, long logFrames, long checkpointedFrames) {

        /** Returns true when every frame of the WAL is in the database file. */
        boolean complete() {
            return !busy && logFrames >= 0 && logFrames == checkpointedFrames;
        }
    }

    private final Path database;
    private final Connection connection;
    private boolean reading;

    private DatabaseSession(Path database, Connection connection) {
        this.database = database;
        this.connection = connection;
    }

    /**
     * Opens a connection, switches the database to WAL mode if it is not (needs no other connection to be open at
     * that moment) and disables automatic checkpoints on this connection, so only the agent decides when it
     * checkpoints.
     *
     * @throws SQLException naming the database when it cannot be opened or put into WAL mode
     */
    static DatabaseSession open(Path database, Duration busyTimeout) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=" + busyTimeout.toMillis());
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode=WAL")) {
                String mode = rs.next() ? rs.getString(1) : "?";
                if (!"wal".equalsIgnoreCase(mode)) {
                    throw new SQLException("Database " + database + " could not be switched to WAL mode (journal"
                            + " mode is '" + mode + "'); the agent ships only WAL-mode databases");
                }
            }
            s.execute("PRAGMA wal_autocheckpoint=0");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return new DatabaseSession(database, c);
    }

    /** Returns the database file. */
    Path database() {
        return database;
    }

    /** Returns the WAL file ({@code <database>-wal}). */
    Path wal() {
        return Path.of(database + "-wal");
    }

    /**
     * Returns the main database file's size and modification time (ns): SQLite writes the file in WAL mode only when
     * a checkpoint copies frames into it, so an unchanged stamp proves no WAL generation was checkpointed since.
     */
    String databaseStamp() throws IOException {
        return Files.size(database) + "@" + Files.getLastModifiedTime(database).to(TimeUnit.NANOSECONDS);
    }

    /** Starts the pinning read transaction (a no-op when one is held). */
    void beginRead() throws SQLException {
        if (reading) {
            return;
        }
        connection.setAutoCommit(false);
        // A deferred transaction takes its read lock (and WAL snapshot) at the first read.
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT count(*) FROM sqlite_master")) {
            rs.next();
        }
        reading = true;
    }

    /** Ends the pinning read transaction (a no-op when none is held). */
    void endRead() throws SQLException {
        if (!reading) {
            return;
        }
        connection.commit();
        connection.setAutoCommit(true);
        reading = false;
    }

    /**
     * Returns {@code PRAGMA data_version}: it differs between two calls on this connection exactly when another
     * connection committed in between. Inside the read transaction it is the value at the transaction's start.
     */
    long dataVersion() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA data_version")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Runs {@code PRAGMA wal_checkpoint(mode)} outside the read transaction; mode PASSIVE, FULL, RESTART, TRUNCATE. */
    Checkpoint checkpoint(String mode) throws SQLException {
        if (reading) {
            throw new IllegalStateException("checkpoint of " + database + " inside the agent's read transaction");
        }
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            rs.next();
            return new Checkpoint(rs.getInt(1) != 0, rs.getLong(2), rs.getLong(3));
        }
    }

    /**
     * Runs {@code PRAGMA wal_checkpoint(TRUNCATE)} on a second, short-lived connection while this one keeps its read
     * transaction: SQLite then truncates the WAL only if no frame beyond this transaction's snapshot exists (copying
     * one would need the lock the transaction holds), so nothing unread can vanish. Waits at most {@code wait} for
     * locks, so application writers are held up no longer than that.
     *
     * @return true when the WAL was truncated
     */
    boolean truncateBehindReadTransaction(Duration wait) throws SQLException {
        try (Connection side = DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath());
             Statement s = side.createStatement()) {
            s.execute("PRAGMA busy_timeout=" + wait.toMillis());
            s.execute("PRAGMA wal_autocheckpoint=0");
            try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                return rs.next() && rs.getInt(1) == 0;
            }
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            endRead();
        } finally {
            connection.close();
        }
    }
}
