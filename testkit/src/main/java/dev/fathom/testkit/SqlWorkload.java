package dev.fathom.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

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

    private static final int MAX_TABLES = 4;
    /** Kinds of transaction by cumulative weight out of 100: a roll r picks the first entry whose key exceeds r. */
    private static final NavigableMap<Integer, String> KINDS = new TreeMap<>(Map.ofEntries(Map.entry(25, "insert"),
            Map.entry(35, "bulk-insert"), Map.entry(50, "update"), Map.entry(60, "delete"),
            Map.entry(66, "create-table"), Map.entry(72, "alter"), Map.entry(79, "index"),
            Map.entry(86, "delete-most"), Map.entry(92, "incremental-vacuum"), Map.entry(96, "drop-table"),
            Map.entry(100, "vacuum")));

    private final Path db;
    private final Connection connection;
    private final AutoVacuum autoVacuum;
    private final Checkpoints checkpoints;
    private final Random random;
    private final List<Table> tables = new ArrayList<>();
    private final List<String> indexes = new ArrayList<>();
    private int steps;
    private int names;
    private boolean vacuumNext;

    /** One table's shape as the workload knows it. */
    private static final class Table {
        private final String name;
        private int nextId = 1;
        private int extraColumns;

        private Table(String name) {
            this.name = name;
        }
    }

    private SqlWorkload(Path db, Connection connection, AutoVacuum autoVacuum, Checkpoints checkpoints, long seed) {
        this.db = db;
        this.connection = connection;
        this.autoVacuum = autoVacuum;
        this.checkpoints = checkpoints;
        this.random = new Random(seed);
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
        workload.exec("PRAGMA busy_timeout=10000", "PRAGMA page_size=" + pageSize,
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
        String kind = nextKind();
        String description = switch (kind) {
            case "create-table" -> createTable();
            case "insert" -> insert(pickTable(), 1 + random.nextInt(60), 1500);
            case "bulk-insert" -> insert(pickTable(), 150 + random.nextInt(300), 1200);
            case "update" -> update(pickTable());
            case "delete" -> transaction("DELETE FROM " + pickTable().name + " WHERE id % " + (2 + random.nextInt(5))
                    + " = " + random.nextInt(2));
            case "delete-most" -> deleteMost();
            case "vacuum" -> exec("VACUUM");
            case "incremental-vacuum" -> exec("PRAGMA incremental_vacuum");
            case "alter" -> alter(pickTable());
            case "index" -> index(pickTable());
            case "drop-table" -> dropTable();
            default -> throw new IllegalStateException("unknown step kind " + kind);
        };
        return new Step(steps, kind, description + applicationCheckpoint());
    }

    /** Runs {@code VACUUM} as a step of its own (it rebuilds the file, and shrinks it after deletes). */
    public Step vacuum() throws SQLException {
        steps++;
        return new Step(steps, "vacuum", exec("VACUUM"));
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
        if (tables.isEmpty()) {
            createTable();
        }
        steps++;
        Table table = pickTable();
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table.name
                + "(id, k, v, n) VALUES (?, ?, ?, ?)")) {
            for (int i = 0; i < rows; i++) {
                insert.setInt(1, table.nextId++);
                insert.setString(2, "large" + i);
                insert.setBytes(3, blob(blobBytes));
                insert.setInt(4, i);
                insert.executeUpdate();
            }
            connection.commit();
        } finally {
            connection.setAutoCommit(true);
        }
        return new Step(steps, "large-blobs", "insert " + rows + " BLOBs of " + blobBytes + " bytes into "
                + table.name);
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
        exec("PRAGMA wal_checkpoint(TRUNCATE)");
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
            return "; " + exec("PRAGMA wal_checkpoint(PASSIVE)");
        }
        if (roll == 1 && checkpoints == Checkpoints.TRUNCATE) {
            return "; " + exec("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        return "";
    }

    private String nextKind() {
        if (tables.isEmpty()) {
            return "create-table";
        }
        if (vacuumNext) {
            vacuumNext = false;
            return "vacuum";
        }
        String kind = KINDS.higherEntry(random.nextInt(100)).getValue();
        return switch (kind) { // keep every statement legal for the current schema and mode
            case "create-table" -> tables.size() < MAX_TABLES ? kind : "insert";
            case "incremental-vacuum" -> autoVacuum == AutoVacuum.INCREMENTAL ? kind : "update";
            case "drop-table" -> tables.size() > 1 ? kind : "bulk-insert";
            default -> kind;
        };
    }

    private Table pickTable() {
        return tables.get(random.nextInt(tables.size()));
    }

    private String createTable() throws SQLException {
        Table table = new Table("t" + (++names));
        tables.add(table);
        String index = "ix" + (++names);
        indexes.add(table.name + "." + index);
        return transaction("CREATE TABLE " + table.name + "(id INTEGER PRIMARY KEY, k TEXT, v BLOB, n INTEGER)",
                "CREATE INDEX " + index + " ON " + table.name + "(k)");
    }

    private String insert(Table table, int rows, int maxBlob) throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table.name
                + "(id, k, v, n) VALUES (?, ?, ?, ?)")) {
            for (int i = 0; i < rows; i++) {
                // One row in twenty spills into overflow pages (at any page size up to 4096).
                int size = random.nextInt(20) == 0 ? 4500 + random.nextInt(4500) : 10 + random.nextInt(maxBlob);
                insert.setInt(1, table.nextId++);
                insert.setString(2, "k" + random.nextInt(100_000));
                insert.setBytes(3, blob(size));
                insert.setInt(4, random.nextInt());
                insert.executeUpdate();
            }
            connection.commit();
        } finally {
            connection.setAutoCommit(true);
        }
        return "insert " + rows + " rows into " + table.name;
    }

    private String update(Table table) throws SQLException {
        String set = "v = substr(?, 1, 1 + (id * 37) % 3000), k = k || 'u'";
        if (table.extraColumns > 0) {
            set += ", c" + (1 + random.nextInt(table.extraColumns)) + " = hex(substr(?, 1, 20))";
        }
        String sql = "UPDATE " + table.name + " SET " + set + " WHERE id % " + (2 + random.nextInt(6)) + " = "
                + random.nextInt(2);
        connection.setAutoCommit(false);
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            byte[] blob = blob(3000);
            update.setBytes(1, blob);
            if (table.extraColumns > 0) {
                update.setBytes(2, blob);
            }
            update.executeUpdate();
            connection.commit();
        } finally {
            connection.setAutoCommit(true);
        }
        return sql;
    }

    private String deleteMost() throws SQLException {
        vacuumNext = random.nextBoolean();
        List<String> deletes = new ArrayList<>();
        for (Table table : tables) {
            deletes.add("DELETE FROM " + table.name + " WHERE id % 10 != " + random.nextInt(10));
        }
        return transaction(deletes.toArray(String[]::new)) + (vacuumNext ? " (VACUUM next)" : "");
    }

    private String alter(Table table) throws SQLException {
        table.extraColumns++;
        String column = "c" + table.extraColumns;
        return transaction("ALTER TABLE " + table.name + " ADD COLUMN " + column + " TEXT DEFAULT 'd'",
                "UPDATE " + table.name + " SET " + column + " = 'x' || id WHERE id % 3 = 0");
    }

    private String index(Table table) throws SQLException {
        if (!indexes.isEmpty() && random.nextInt(3) == 0) {
            String dropped = indexes.remove(random.nextInt(indexes.size()));
            return transaction("DROP INDEX " + dropped.substring(dropped.indexOf('.') + 1));
        }
        String index = "ix" + (++names);
        indexes.add(table.name + "." + index);
        return transaction("CREATE INDEX " + index + " ON " + table.name + "(n, k)");
    }

    private String dropTable() throws SQLException {
        Table table = tables.remove(random.nextInt(tables.size()));
        indexes.removeIf(i -> i.startsWith(table.name + "."));
        return transaction("DROP TABLE " + table.name);
    }

    private byte[] blob(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Runs {@code sqls} in one transaction; returns them joined. */
    private String transaction(String... sqls) throws SQLException {
        connection.setAutoCommit(false);
        try {
            exec(sqls);
            connection.commit();
        } finally {
            connection.setAutoCommit(true);
        }
        return String.join("; ", sqls);
    }

    /** Runs {@code sqls} one by one in autocommit mode (VACUUM and pragmas cannot run inside a transaction). */
    private String exec(String... sqls) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String sql : sqls) {
                s.execute(sql);
            }
        }
        return String.join("; ", sqls);
    }
}
