package dev.fathom.testkit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

/**
 * Chooses and runs {@link SqlWorkload}'s random write transactions over a small schema it evolves (tables, indexes,
 * added columns), keeping every statement legal for the current schema and auto_vacuum mode. Every choice comes from
 * the workload's seeded {@link Random}, so the statements are a function of the seed. Not thread-safe.
 */
final class RandomTransactions {

    private static final int MAX_TABLES = 4;
    /** Kinds of transaction by cumulative weight out of 100: a roll r picks the first entry whose key exceeds r. */
    private static final NavigableMap<Integer, String> KINDS = new TreeMap<>(Map.ofEntries(Map.entry(25, "insert"),
            Map.entry(35, "bulk-insert"), Map.entry(50, "update"), Map.entry(60, "delete"),
            Map.entry(66, "create-table"), Map.entry(72, "alter"), Map.entry(79, "index"),
            Map.entry(86, "delete-most"), Map.entry(92, "incremental-vacuum"), Map.entry(96, "drop-table"),
            Map.entry(100, "vacuum")));

    /** One table's shape as the workload knows it. */
    private static final class Table {
        private final String name;
        private int nextId = 1;
        private int extraColumns;

        private Table(String name) {
            this.name = name;
        }
    }

    private final Connection connection;
    private final Random random;
    private final SqlWorkload.AutoVacuum autoVacuum;
    private final List<Table> tables = new ArrayList<>();
    private final List<String> indexes = new ArrayList<>();
    private int names;
    private boolean vacuumNext;

    /** What one transaction did: its kind (e.g. {@code bulk-insert}) and its statements in short. */
    record Done(String kind, String description) {
    }

    RandomTransactions(Connection connection, Random random, SqlWorkload.AutoVacuum autoVacuum) {
        this.connection = connection;
        this.random = random;
        this.autoVacuum = autoVacuum;
    }

    /** Runs one transaction chosen at random (the first creates a table; a delete-most may be followed by VACUUM). */
    Done next() throws SQLException {
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
        return new Done(kind, description);
    }

    /** Inserts {@code rows} rows with a random BLOB of {@code blobBytes} each in one transaction. */
    String insertLargeBlobs(int rows, int blobBytes) throws SQLException {
        if (tables.isEmpty()) {
            createTable();
        }
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
        return "insert " + rows + " BLOBs of " + blobBytes + " bytes into " + table.name;
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
            case "incremental-vacuum" -> autoVacuum == SqlWorkload.AutoVacuum.INCREMENTAL ? kind : "update";
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
    String exec(String... sqls) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String sql : sqls) {
                s.execute(sql);
            }
        }
        return String.join("; ", sqls);
    }
}
