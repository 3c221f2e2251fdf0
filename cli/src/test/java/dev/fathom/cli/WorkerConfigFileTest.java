package dev.fathom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.worker.WorkerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerConfigFileTest {

    @TempDir
    Path tmp;

    @Test
    void shouldApplySetOverridesOnTopOfTheFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("w.properties"),
                FathomCliTest.validWorkerProperties() + "http.port=8081\n");
        WorkerConfig config = WorkerConfigFile.load(file, Map.of("http.port", "9090", "worker.id", "w2"));
        assertEquals(9090, config.httpPort());
        assertEquals("w2", config.workerId());
        assertEquals("localhost:1", config.bootstrapServers());
        assertEquals("wal", config.storageProfiles().get(0).bucket());
    }

    @Test
    void shouldNameTheFileWhenItCannotBeRead() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("a-directory"));
        UsageException e = assertThrows(UsageException.class, () -> WorkerConfigFile.load(dir, Map.of()));
        assertTrue(e.getMessage().contains("a-directory"), e::getMessage);
    }
}
