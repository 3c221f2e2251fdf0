package dev.fathom.schemas;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes missing golden files into the source tree when run with {@code -Dfathom.golden.generate=true}
 * ({@code mvn -o -pl schemas test -Dtest=GoldenRecordsGeneratorTest -Dfathom.golden.generate=true}). Existing files
 * are never overwritten: they are the reference.
 */
class GoldenRecordsGeneratorTest {
    @Test
    @EnabledIfSystemProperty(named = "fathom.golden.generate", matches = "true")
    void shouldWriteMissingGoldenFiles() {
        List<Path> written = GoldenRecords.writeMissing(GoldenRecords.SOURCE_DIR);
        written.forEach(path -> System.out.println("Wrote golden file " + path.toAbsolutePath()));
        for (GoldenRecords.Golden<?> golden : GoldenRecords.all()) {
            assertTrue(Files.exists(GoldenRecords.SOURCE_DIR.resolve(golden.path())));
        }
    }
}
