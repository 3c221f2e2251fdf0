package dev.fathom.producer.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.format.Frame;
import dev.fathom.schemas.format.SealedSegment;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaseSnapshotTest {

    private static final Instant SEALED_AT = Instant.ofEpochMilli(1_700_000_000_123L);

    @TempDir
    Path dir;

    @Test
    void shouldSplitADatabaseIntoSegmentsOfAtMostTheMaximumThatRebuildItsFile() throws Exception {
        Path db = database(1024, 300);
        BaseSnapshot.Shape shape = BaseSnapshot.shape(db).orElseThrow();
        List<SealedSegment> parts = new ArrayList<>();
        List<Boolean> lastFlags = new ArrayList<>();

        BaseSnapshot.Shipped shipped = BaseSnapshot.ship(db, shape, 41, 10 * 1024 + 100, SEALED_AT, (part, last) -> {
            parts.add(part);
            lastFlags.add(last);
        });

        int pages = shape.pageCount();
        assertTrue(pages > 25, "pages: " + pages);
        assertEquals((pages + 9) / 10, parts.size(), "segments of at most 10 pages");
        assertEquals(new BaseSnapshot.Shipped(41, 40 + pages, parts.size()), shipped);
        ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
        long nextFrame = 41;
        int nextPage = 1;
        for (int i = 0; i < parts.size(); i++) {
            SealedSegment part = parts.get(i);
            assertEquals(nextFrame, part.startFrameNo(), "segment " + i + " follows the previous one");
            assertTrue(part.frames().size() <= 10, "segment " + i + ": " + part.frames().size() + " frames");
            assertEquals(SEALED_AT.toEpochMilli(), part.sealedAtMs());
            assertEquals(i == parts.size() - 1, lastFlags.get(i), "last flag of segment " + i);
            for (Frame frame : part.frames()) {
                assertEquals(nextPage++, frame.pageNo(), "pages in order");
                rebuilt.write(frame.page());
            }
            // Each segment commits its own last page: a restore that stops inside the snapshot sees only its prefix.
            assertEquals(nextPage - 1, part.sizeAfter(), "size_after of segment " + i);
            nextFrame = part.endFrameNo() + 1;
        }
        assertEquals(pages, parts.get(parts.size() - 1).sizeAfter());
        assertArrayEquals(Files.readAllBytes(db), rebuilt.toByteArray(), "pages 1..N are the file");
    }

    @Test
    void shouldShipOnePagePerSegmentWhenAPageExceedsTheMaximum() throws Exception {
        Path db = database(4096, 20);
        BaseSnapshot.Shape shape = BaseSnapshot.shape(db).orElseThrow();
        List<SealedSegment> parts = new ArrayList<>();

        BaseSnapshot.Shipped shipped = BaseSnapshot.ship(db, shape, 1, 100, SEALED_AT, (part, last) -> parts.add(part));

        assertEquals(shape.pageCount(), parts.size());
        assertEquals(shape.pageCount(), shipped.segments());
        assertTrue(parts.stream().allMatch(p -> p.frames().size() == 1 && p.sizeAfter() == p.frames().get(0).pageNo()));
    }

    @Test
    void shouldShipASmallDatabaseAsOneSegment() throws Exception {
        Path db = database(4096, 5);
        BaseSnapshot.Shape shape = BaseSnapshot.shape(db).orElseThrow();
        List<SealedSegment> parts = new ArrayList<>();

        BaseSnapshot.ship(db, shape, 7, 4L * 1024 * 1024, SEALED_AT, (part, last) -> parts.add(part));

        assertEquals(1, parts.size());
        assertEquals(shape.pageCount(), parts.get(0).frames().size());
        assertEquals(shape.pageCount(), parts.get(0).sizeAfter());
    }

    /** A checkpointed WAL-mode database of {@code rows} rows with 1000-byte random BLOBs. */
    private Path database(int pageSize, int rows) throws Exception {
        Path db = dir.resolve("db-" + pageSize + "-" + rows + ".db");
        Random random = new Random(rows);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA page_size=" + pageSize);
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO t (v) VALUES (?)")) {
                for (int i = 0; i < rows; i++) {
                    byte[] blob = new byte[1000];
                    random.nextBytes(blob);
                    insert.setBytes(1, blob);
                    insert.executeUpdate();
                }
            }
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        return db;
    }
}
