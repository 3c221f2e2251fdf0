package dev.fathom.cli;

import dev.fathom.worker.WorkerConfig;
import java.nio.file.Path;
import java.util.Map;
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
        Map<String, String> props = PropertiesFile.read(file);
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
}
