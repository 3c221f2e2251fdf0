package dev.fathom.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Creates and deletes the temp directories fixtures own. Stateless; thread-safe. */
final class TempDirectory {

    private TempDirectory() {
    }

    static Path create(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a temp directory " + prefix + "*", e);
        }
    }

    /** Deletes {@code dir} and everything below it; best effort, since a leftover temp dir must not fail a test. */
    static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("[testkit] Could not delete " + dir + ": " + e);
        }
    }
}
