package dev.fathom.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.testkit.SqlWorkload.AutoVacuum;
import dev.fathom.testkit.SqlWorkload.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The workload runs on real SQLite: every kind of transaction shows up, the file grows and shrinks, every state
 * passes {@code integrity_check}, the WAL keeps the frames, and a seed gives the same statements again.
 */
class SqlWorkloadTest {

    private static final int STEPS = 80;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(AutoVacuum.class)
    void shouldGrowAndShrinkARealDatabaseThroughEveryKindOfTransaction(AutoVacuum mode) throws Exception {
        List<String> descriptions = new ArrayList<>();
        Set<String> kinds = new TreeSet<>();
        boolean grew = false;
        boolean shrank = false;
        try (SqlWorkload sql = SqlWorkload.open(dir.resolve("a.db"), 1024, mode, 11)) {
            long pages = 0;
            for (int i = 0; i < STEPS; i++) {
                SqlWorkload.Step step = sql.step();
                descriptions.add(step.description());
                kinds.add(step.kind());
                long now = sql.pageCount();
                grew |= now > pages && pages > 0;
                shrank |= now < pages;
                pages = now;
                if (i % 20 == 19) {
                    Path copy = sql.checkpointedCopy(dir.resolve("copy-" + i + ".db"));
                    assertEquals("ok", SqlWorkload.integrityCheck(copy), "after step " + step);
                    assertEquals(pages * 1024, Files.size(copy), "checkpointed copy size after " + step);
                }
            }
            assertTrue(Files.size(sql.wal()) > 32, "the WAL keeps frames while the connection is open");
        }
        assertTrue(grew && shrank, "the file grew and shrank: " + descriptions);
        Set<String> expected = new TreeSet<>(Set.of("create-table", "insert", "bulk-insert", "update", "delete",
                "delete-most", "vacuum", "alter", "index", "drop-table"));
        if (mode == AutoVacuum.INCREMENTAL) {
            expected.add("incremental-vacuum");
        }
        assertEquals(expected, kinds);
        try (SqlWorkload again = SqlWorkload.open(dir.resolve("b.db"), 1024, mode, 11)) {
            for (int i = 0; i < STEPS; i++) {
                assertEquals(descriptions.get(i), again.step().description(), "step " + (i + 1) + " with seed 11");
            }
        }
    }

    @Test
    void shouldTruncateTheWalItselfAndWriteLargeBlobsWhenAsked() throws Exception {
        boolean truncated = false;
        try (SqlWorkload sql = SqlWorkload.open(dir.resolve("c.db"), 4096, AutoVacuum.NONE, Checkpoints.TRUNCATE,
                5)) {
            SqlWorkload.Step large = sql.insertLargeBlobs(3, 1024 * 1024);
            assertEquals("large-blobs", large.kind());
            long wal = Files.size(sql.wal());
            assertTrue(wal > 3L * 1024 * 1024, "WAL after 3 MiB of BLOBs: " + wal + " bytes");
            for (int i = 0; i < 60; i++) {
                sql.step();
                long now = Files.size(sql.wal());
                truncated |= now < wal;
                wal = now;
            }
            assertEquals("vacuum", sql.vacuum().kind());
            Path copy = sql.checkpointedCopy(dir.resolve("c-copy.db"));
            assertEquals("ok", SqlWorkload.integrityCheck(copy));
            assertEquals(sql.pageCount() * 4096, Files.size(copy), "checkpointed copy size");
        }
        assertTrue(truncated, "the application's own TRUNCATE checkpoints shrank the WAL");
    }
}
