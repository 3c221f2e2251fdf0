package dev.fathom.producer.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base snapshot's preparation against a real SQLite database whose WAL cannot be truncated (an application
 * reader holds a read transaction at its end): the position where the checkpointed generation ends is found by
 * walking the WAL in bounded batches.
 */
class CheckpointerSnapshotTest {

    @TempDir
    Path dir;

    @Test
    void shouldFindTheEndOfAWalLongerThanOneScanBatchWhenAReaderBlocksTruncation() throws Exception {
        Path db = dir.resolve("busy.db");
        try (LiveDatabase app = new LiveDatabase(db, 4096)) {
            app.transaction("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)");
            for (int i = 0; i < 30; i++) {
                app.transaction("INSERT INTO t (v) VALUES (randomblob(60000))");
            }
            long walFrames = (Files.size(app.wal()) - WalHeader.SIZE) / (WalFrame.HEADER_SIZE + 4096);
            assertTrue(walFrames > 256, "WAL frames: " + walFrames);
            try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + db);
                 Statement s = reader.createStatement()) {
                reader.setAutoCommit(false);
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
                    assertTrue(rs.next()); // holds a read lock at the end of the WAL: TRUNCATE must wait for it
                }
                try (DatabaseSession session = DatabaseSession.open(db, Duration.ofMillis(50))) {
                    session.beginRead();

                    Optional<Checkpointer.Base> base = Checkpointer.prepareSnapshot(session);

                    assertTrue(base.isPresent(), "a base despite the reader");
                    assertEquals(walFrames, base.get().generationEnd(), "the generation ends after every frame");
                    assertFalse(base.get().cursor().finished());
                    assertEquals(walFrames, base.get().cursor().position().nextIndex());
                }
                reader.commit();
            }
        }
    }
}
