package dev.fathom.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo application of a {@code fathom stack}: writes a SQLite database in WAL mode through sqlite-jdbc, one short
 * transaction every {@value #INTERVAL_MS} ms (a row into {@code readings}), and every {@value #REWRITE_EVERY}th round
 * rewrites {@value #REWRITE_ROWS} old rows, so segments carry new pages and rewritten ones. It keeps SQLite's
 * automatic checkpoints, as applications do. Thread-safe: writes happen on its own scheduler thread; the creator closes
 * it.
 */
final class StackDemoLoad implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StackDemoLoad.class);
    private static final long INTERVAL_MS = 100;
    private static final int REWRITE_EVERY = 100;
    private static final int REWRITE_ROWS = 50;
    private static final int SENSORS = 8;

    private final Path database;
    private final Connection connection;
    private final ScheduledExecutorService scheduler;
    private final Random random = new Random();
    private final AtomicLong transactions = new AtomicLong();
    private volatile String failure;

    private StackDemoLoad(Path database, Connection connection) {
        this.database = database;
        this.connection = connection;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stack-demo-load");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Creates {@code database} in WAL mode with its table when missing (an existing one is continued) and starts
     * writing.
     *
     * @throws IllegalStateException naming the file when SQLite refuses it
     */
    static StackDemoLoad start(Path database) {
        try {
            Files.createDirectories(database.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the directory of the demo database " + database, e);
        }
        try {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode=WAL");
                // The agent checkpoints too; wait for its locks instead of failing a write.
                st.execute("PRAGMA busy_timeout=5000");
                st.execute("CREATE TABLE IF NOT EXISTS readings (id INTEGER PRIMARY KEY, sensor TEXT NOT NULL,"
                        + " value REAL NOT NULL, at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))");
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            StackDemoLoad load = new StackDemoLoad(database, c);
            load.scheduler.scheduleAtFixedRate(load::writeOnce, 0, INTERVAL_MS, TimeUnit.MILLISECONDS);
            log.debug("Demo load writes {} every {} ms", database, INTERVAL_MS);
            return load;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not open the demo database " + database + ": " + e.getMessage(), e);
        }
    }

    /** Transactions committed so far by this load. */
    long transactions() {
        return transactions.get();
    }

    /** The last write failure (a sentence naming the database), or null while writes succeed. */
    String failure() {
        return failure;
    }

    private void writeOnce() {
        long round = transactions.get() + 1;
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO readings (sensor, value) VALUES (?, ?)")) {
            insert.setString(1, "sensor-" + random.nextInt(SENSORS));
            insert.setDouble(2, random.nextInt(10_000) / 100.0);
            insert.executeUpdate();
            if (round % REWRITE_EVERY == 0) {
                try (Statement st = connection.createStatement()) {
                    st.executeUpdate("UPDATE readings SET value = value + 1 WHERE id IN"
                            + " (SELECT id FROM readings ORDER BY random() LIMIT " + REWRITE_ROWS + ")");
                }
            }
            transactions.incrementAndGet();
            failure = null;
        } catch (SQLException e) {
            // Keep going: a busy database (a long checkpoint) is transient, and the status line shows the failure.
            if (failure == null) {
                log.warn("Demo load could not write {}: {}", database, e.getMessage());
            }
            failure = "writing " + database + " failed: " + e.getMessage();
        }
    }

    /** Stops writing (waiting for a write in progress) and closes the connection. Idempotent. */
    @Override
    public void close() {
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("Demo load on {} did not finish its last write within 10 s", database);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.warn("Closing the demo database {} failed: {}", database, e.getMessage());
        }
    }
}
