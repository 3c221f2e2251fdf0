package dev.fathom.producer.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.testkit.SqlWorkload;
import dev.fathom.testkit.SqlWorkload.AutoVacuum;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Follows the WAL of a real SQLite database through a random workload ({@link SqlWorkload}) at the smallest, the
 * default and the largest page size, across checkpoints that restart the WAL: after every transaction, the frames
 * read so far, applied to the database file as it was before them, equal the database SQLite checkpoints.
 */
class WalReaderWorkloadTest {

    private static final int STEPS = 30;
    private static final int CHECKPOINT_EVERY = 6;

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"512, NONE", "4096, FULL", "65536, INCREMENTAL"})
    void shouldFollowTheWalThroughRandomSqlAndCheckpoints(int pageSize, AutoVacuum mode) throws Exception {
        Path applied = dir.resolve("applied.db");
        int generations = 0;
        long frames = 0;
        try (SqlWorkload sql = SqlWorkload.open(dir.resolve("source.db"), pageSize, mode, pageSize)) {
            Files.copy(sql.file(), applied);
            WalPosition position = null;
            for (int i = 1; i <= STEPS; i++) {
                SqlWorkload.Step step = sql.step();
                Optional<WalHeader> header = WalReader.readHeader(sql.wal());
                if (header.isEmpty()) {
                    continue;
                }
                assertEquals(pageSize, header.get().pageSize());
                WalBatch batch = WalReader.read(sql.wal(), position == null ? WalReader.start(header.get())
                        : position, Integer.MAX_VALUE);
                if (batch.saltChanged() || position == null) {
                    generations++;
                    assertEquals(0, batch.frames().get(0).index(), "a new generation is read from its first frame");
                }
                position = batch.next();
                frames += batch.frames().size();
                LiveDatabase.apply(batch.frames(), applied);
                assertArrayEquals(Files.readAllBytes(sql.checkpointedCopy(dir.resolve("expected.db"))),
                        Files.readAllBytes(applied), "database after " + step);
                if (i % CHECKPOINT_EVERY == 0) {
                    sql.checkpoint(); // every frame was read: the next generation continues the same database
                }
            }
        }
        assertEquals("ok", SqlWorkload.integrityCheck(applied));
        assertTrue(generations >= STEPS / CHECKPOINT_EVERY, "WAL generations followed: " + generations);
        assertTrue(frames > STEPS, "frames read: " + frames);
    }
}
