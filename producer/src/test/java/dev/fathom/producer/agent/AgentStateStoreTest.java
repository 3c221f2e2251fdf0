package dev.fathom.producer.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentStateStoreTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadBackEveryKindOfPointInFrameOrder() {
        AgentStateStore store = new AgentStateStore(dir.resolve("state"));
        List<ResumePoint> points = List.of(
                new ResumePoint(0, WalCursor.afterGeneration(null, "")),
                new ResumePoint(7, WalCursor.following(new WalPosition(-5, 123456789, 42, Integer.MIN_VALUE, -1))),
                new ResumePoint(12, WalCursor.afterGeneration(new WalPosition(3, 4, 0, 5, 6), "8192@1764108000123456789")));
        store.save("db1", dir.resolve("db1.db"), List.of(points.get(2), points.get(0), points.get(1)));

        assertEquals(points, store.load("db1"));
        assertEquals(List.of(), store.load("other"), "a namespace never saved has no points");
        assertFalse(Files.exists(dir.resolve("state/db1.state.tmp")), "no temp file left after the rename");
    }

    @Test
    void shouldReplaceTheWholeStateOnSave() {
        AgentStateStore store = new AgentStateStore(dir);
        store.save("db1", dir.resolve("db1.db"), List.of(new ResumePoint(3, WalCursor.afterGeneration(null, ""))));
        List<ResumePoint> newer = List.of(new ResumePoint(9, WalCursor.following(new WalPosition(1, 2, 3, 4, 5))));
        store.save("db1", dir.resolve("db1.db"), newer);

        assertEquals(newer, store.load("db1"));
    }

    @Test
    void shouldNameTheFileAndEntryOfACorruptState() throws Exception {
        AgentStateStore store = new AgentStateStore(dir);
        Files.writeString(store.file("db1"), "format=1\npoint.5=following,1,2\n");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.load("db1"));
        assertTrue(e.getMessage().contains(store.file("db1").toString()) && e.getMessage().contains("point.5"),
                e.getMessage());
    }

    @Test
    void shouldTellTheFinishedGenerationFromTheNextOne() {
        WalCursor finished = WalCursor.afterGeneration(new WalPosition(10, 99, 0, 0, 0), "");
        WalHeader stale = new WalHeader(WalHeader.MAGIC_LITTLE_ENDIAN, WalHeader.FORMAT_VERSION, 4096, 0, 10, 99, 1, 2);
        WalHeader next = new WalHeader(WalHeader.MAGIC_LITTLE_ENDIAN, WalHeader.FORMAT_VERSION, 4096, 0, 77, 7, 1, 2);

        assertTrue(finished.isStale(stale));
        assertFalse(finished.isStale(next));
        assertFalse(WalCursor.afterGeneration(null, "").isStale(next), "unknown: every header is new");
    }
}
