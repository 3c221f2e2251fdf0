package dev.fathom.cli;

import dev.fathom.worker.WorkerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * Merges a worker's configuration from {@code --set} flags, {@code FATHOM_*} environment variables and the
 * worker.properties file (in that precedence, see {@link ConfigSources}) and validates the result into a
 * {@link WorkerConfig}, including the storage profiles (read lazily by the worker otherwise), so every configuration
 * mistake is reported before anything starts. Stateless; thread-safe.
 */
final class WorkerConfigFile {

    /** The worker's keys as environment variables see them: documented keys, profile keys, client prefixes. */
    static final ConfigKeys KEYS = ConfigKeys.of("worker", List.of(WorkerConfig.documentedConfigDef()),
            List.of(WorkerConfig.PRODUCER_PREFIX, WorkerConfig.CONSUMER_PREFIX, WorkerConfig.ADMIN_PREFIX,
                    WorkerConfig.STREAMS_PREFIX, ConfigKeys.SASL_PREFIX, ConfigKeys.SSL_PREFIX));

    private WorkerConfigFile() {
    }

    /**
     * Loads {@code file} with {@code overrides} applied last (no environment).
     *
     * @throws UsageException naming the file when it cannot be read, or the file and the key when a value is invalid
     */
    static WorkerConfig load(Path file, Map<String, String> overrides) {
        return load(new ConfigSources(KEYS, Map.of()).resolve(file, overrides), file);
    }

    /**
     * Validates a merged configuration; {@code file} (may be null) only names the file in messages.
     *
     * @throws UsageException naming the file, and the flag, variable or file that set the key when a value is invalid
     */
    static WorkerConfig load(ResolvedConfig resolved, Path file) {
        try {
            WorkerConfig config = new WorkerConfig(resolved.properties());
            config.storageProfiles();
            config.workerId();
            return config;
        } catch (ConfigException e) {
            throw new UsageException("Invalid worker configuration" + (file == null ? " (no --config file)"
                    : " in " + file) + ": " + e.getMessage() + resolved.tracing(e.getMessage()), e);
        }
    }
}
