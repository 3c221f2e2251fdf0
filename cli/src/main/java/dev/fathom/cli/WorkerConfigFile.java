package dev.fathom.cli;

import dev.fathom.worker.WorkerConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;

/**
 * Reads a worker.properties file, applies {@code --set} overrides on top and validates the result into a
 * {@link WorkerConfig}, including the storage profiles (read lazily by the worker otherwise), so every configuration
 * mistake is reported before anything starts. Stateless; thread-safe.
 */
final class WorkerConfigFile {

    private WorkerConfigFile() {
    }

    /**
     * Loads {@code file} with {@code overrides} applied last.
     *
     * @throws UsageException naming the file when it cannot be read, or the file and the key when a value is invalid
     */
    static WorkerConfig load(Path file, Map<String, String> overrides) {
        Map<String, String> props = read(file);
        props.putAll(overrides);
        try {
            WorkerConfig config = new WorkerConfig(props);
            config.storageProfiles();
            config.workerId();
            return config;
        } catch (ConfigException e) {
            throw new UsageException("Invalid worker configuration in " + file
                    + (overrides.isEmpty() ? "" : " (with --set " + overrides.keySet() + ")") + ": " + e.getMessage(),
                    e);
        }
    }

    private static Map<String, String> read(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            throw new UsageException("Config file " + file.toAbsolutePath() + " does not exist", e);
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException: a malformed \\uXXXX escape in the file
            throw new UsageException("Could not read config file " + file.toAbsolutePath() + ": " + e, e);
        }
        Map<String, String> props = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(key -> props.put(key, p.getProperty(key)));
        return props;
    }
}
