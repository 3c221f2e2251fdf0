package dev.fathom.producer.agent;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the database files to ship: the listed paths that exist and the files of the watched directory matching the
 * glob, keyed by namespace. Files ending in -wal, -shm or -journal are never databases. Not thread-safe; owned by the
 * agent's scan task.
 */
final class DatabaseFinder {

    private static final Logger log = LoggerFactory.getLogger(DatabaseFinder.class);
    private static final List<String> SIDE_FILES = List.of("-wal", "-shm", "-journal");

    private final List<Path> databases;
    private final Optional<Path> watchDir;
    private final String glob;
    private final Set<Path> reported = new HashSet<>();

    DatabaseFinder(List<Path> databases, Optional<Path> watchDir, String glob) {
        this.databases = List.copyOf(databases);
        this.watchDir = watchDir;
        this.glob = glob;
    }

    /** Returns the database files that exist now, by namespace (the first file wins a namespace clash). */
    Map<String, Path> find() {
        Map<String, Path> found = new TreeMap<>();
        for (Path db : databases) {
            if (Files.isRegularFile(db)) {
                found.put(AgentConfig.namespaceOf(db), db.toAbsolutePath());
            }
        }
        watchDir.ifPresent(dir -> scan(dir, found));
        return found;
    }

    private void scan(Path dir, Map<String, Path> found) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (SIDE_FILES.stream().anyMatch(name::endsWith) || !Files.isRegularFile(file)) {
                    continue;
                }
                add(file.toAbsolutePath(), found);
            }
        } catch (NoSuchFileException e) {
            if (reported.add(dir)) {
                log.warn("Watched directory {} does not exist (yet); databases in it are shipped once it does", dir);
            }
        } catch (IOException e) {
            log.warn("Could not scan watched directory {} for databases: {}", dir, e.toString());
        }
    }

    private void add(Path file, Map<String, Path> found) {
        String namespace;
        try {
            namespace = AgentConfig.namespaceOf(file);
        } catch (ConfigException e) {
            if (reported.add(file)) {
                log.error("Not shipping {}: {}", file, e.getMessage());
            }
            return;
        }
        Path other = found.putIfAbsent(namespace, file);
        if (other != null && !other.equals(file) && reported.add(file)) {
            log.error("Not shipping {}: namespace '{}' is already shipped from {}; rename one of them", file,
                    namespace, other);
        }
    }
}
