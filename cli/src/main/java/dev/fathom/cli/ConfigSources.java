package dev.fathom.cli;

import dev.fathom.producer.storage.StorageProfile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges the configuration of a command configured by keys (worker, agent) from its three sources, highest first:
 * flags ({@code --set KEY=VALUE} and the named options), {@code FATHOM_*} environment variables (see
 * {@link ConfigKeys#envName}), the {@code --config} properties file; what none sets keeps its ConfigDef default.
 * A {@code FATHOM_*} variable that maps to no key is ignored; when it is one or two characters away from a key's
 * variable (a typo such as {@code FATHOM_BOOTSTRAP_SERVER}) a WARN names the nearest one. Stateless apart from its
 * inputs; thread-safe.
 */
final class ConfigSources {

    /** FATHOM_* variables that are read elsewhere and are not configuration keys. */
    static final Set<String> NOT_KEYS = Set.of(LogSettings.FORMAT_ENV, LogSettings.LEVEL_ENV, "FATHOM_S3_ACCESS_KEY",
            "FATHOM_S3_SECRET_KEY", "FATHOM_ENCRYPTION_KEY", "FATHOM_ENCRYPTION_KEY_ID");

    private static final Logger log = LoggerFactory.getLogger(ConfigSources.class);

    private final ConfigKeys keys;
    private final Map<String, String> environment;

    ConfigSources(ConfigKeys keys, Map<String, String> environment) {
        this.keys = keys;
        this.environment = new TreeMap<>(environment);
    }

    /**
     * Merges {@code file} (may be null: no file), the environment and {@code flags}; logs one INFO line saying how
     * many keys each source set, and a WARN per mistyped variable.
     *
     * @throws UsageException naming the file when it cannot be read
     */
    ResolvedConfig resolve(Path file, Map<String, String> flags) {
        Map<String, String> fromFile = file == null ? Map.of() : PropertiesFile.read(file);
        List<String> profiles = profileNames(fromFile, flags);
        Map<String, String> fromEnv = new LinkedHashMap<>();
        Map<String, String> variables = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        environment.forEach((variable, value) -> {
            if (!variable.startsWith(ConfigKeys.ENV_PREFIX) || NOT_KEYS.contains(variable)) {
                return;
            }
            keys.keyOf(variable, profiles).ifPresentOrElse(key -> {
                fromEnv.put(key, value);
                variables.put(key, variable);
            }, () -> unknown(variable, profiles).ifPresent(warnings::add));
        });
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        fromFile.forEach((k, v) -> put(values, origins, k, v, "file " + file));
        fromEnv.forEach((k, v) -> put(values, origins, k, v, "env " + variables.get(k)));
        flags.forEach((k, v) -> put(values, origins, k, v, "flag"));
        warnings.forEach(log::warn);
        log.info("Configuration of the {}: {} keys from config file {}, {} from environment variables {}, {} from"
                + " flags; the other keys have their defaults", keys.subject(), fromFile.size(),
                file == null ? "(none)" : file, fromEnv.size(), variables.values(), flags.size());
        return new ResolvedConfig(values, origins, warnings);
    }

    private Optional<String> unknown(String variable, List<String> profiles) {
        Optional<String> near = NearMiss.nearest(variable, keys.envNames(profiles));
        if (near.isEmpty()) {
            log.debug("Ignoring environment variable {}: it is not a key of the {} configuration", variable,
                    keys.subject());
            return Optional.empty();
        }
        String key = keys.keyOf(near.get(), profiles).orElse("?");
        return Optional.of("Ignoring environment variable " + variable + ": it is not a key of the "
                + keys.subject() + " configuration; did you mean " + near.get() + " (key " + key + ")?");
    }

    /** The profile names the per-profile variables may use: storage.profiles from any source, and "default". */
    private List<String> profileNames(Map<String, String> fromFile, Map<String, String> flags) {
        String raw = flags.getOrDefault(StorageProfile.PROFILES_CONFIG,
                environment.getOrDefault(ConfigKeys.envName(StorageProfile.PROFILES_CONFIG),
                        fromFile.getOrDefault(StorageProfile.PROFILES_CONFIG, "")));
        List<String> names = new ArrayList<>(List.of(StorageProfile.DEFAULT_NAME));
        Arrays.stream(raw.split(",")).map(String::trim).filter(n -> !n.isEmpty() && !names.contains(n))
                .forEach(names::add);
        return names;
    }

    private static void put(Map<String, String> values, Map<String, String> origins, String key, String value,
                            String origin) {
        values.put(key, value);
        origins.put(key, origin);
    }
}
