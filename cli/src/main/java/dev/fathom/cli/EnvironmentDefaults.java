package dev.fathom.cli;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Feeds {@code FATHOM_*} environment variables to the options of the commands configured by flags, so that the
 * precedence is flags > environment > built-in defaults: option {@code --kafka-port} reads {@code FATHOM_KAFKA_PORT}
 * (the option name without dashes, upper case, {@code -} → {@code _}). It serves every option of {@code dev} and
 * {@code stack}, and the connection options of the operator commands ({@link #CONNECTION_OPTIONS}); {@code worker}
 * and {@code agent} read the environment through {@link ConfigSources} instead. A variable one or two characters
 * away from a served option's variable gets a WARN naming it, once per command. Not thread-safe; one per command
 * line.
 */
final class EnvironmentDefaults implements IDefaultValueProvider {

    /** Commands whose every option may come from the environment. */
    static final Set<String> FLAG_CONFIGURED_COMMANDS = Set.of("dev", "stack");
    /** Commands configured by keys: {@link ConfigSources} maps their variables. */
    static final Set<String> KEY_CONFIGURED_COMMANDS = Set.of("worker", "agent");
    /** Where-things-are options of the operator commands (restore, segments, verify, status, rebuild-meta, ...). */
    static final Set<String> CONNECTION_OPTIONS = Set.of("--bootstrap-servers", "--meta-url", "--group",
            "--s3-endpoint", "--bucket", "--prefix", "--region", "--path-style", "--profile", "--segments-topic",
            "--meta-topic", "--catalog-topic", "--dlq-topic");

    private static final Logger log = LoggerFactory.getLogger(EnvironmentDefaults.class);

    private final Map<String, String> environment;
    private final Set<CommandSpec> checked = new HashSet<>();

    EnvironmentDefaults(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** Returns the variable option {@code name} reads: {@code --kafka-port} → {@code FATHOM_KAFKA_PORT}. */
    static String envName(String optionName) {
        return ConfigKeys.envName(optionName.replaceFirst("^-+", ""));
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || !serves(option)) {
            return null;
        }
        warnAboutTyposOnce(option.command());
        return environment.get(envName(option.longestName()));
    }

    private static boolean serves(OptionSpec option) {
        CommandSpec command = option.command();
        if (option.usageHelp() || option.versionHelp() || option.typeInfo().isMap() || command == null
                || LogSettings.FORMAT_OPTION.equals(option.longestName()) // read before parsing, from FATHOM_LOG_FORMAT
                || KEY_CONFIGURED_COMMANDS.contains(command.name())) {
            return false;
        }
        return FLAG_CONFIGURED_COMMANDS.contains(command.name()) || CONNECTION_OPTIONS.contains(option.longestName());
    }

    private void warnAboutTyposOnce(CommandSpec command) {
        if (!checked.add(command)) {
            return;
        }
        Set<String> served = new TreeSet<>();
        command.options().stream().filter(EnvironmentDefaults::serves)
                .forEach(o -> served.add(envName(o.longestName())));
        for (String variable : new TreeSet<>(environment.keySet())) {
            if (!variable.startsWith(ConfigKeys.ENV_PREFIX) || served.contains(variable)
                    || ConfigSources.NOT_KEYS.contains(variable)) {
                continue;
            }
            NearMiss.nearest(variable, served).ifPresent(near -> log.warn("Ignoring environment variable {}: no"
                    + " option of fathom {} reads it; did you mean {} (option --{})?", variable,
                    command.qualifiedName(" ").replaceFirst("^fathom ", ""), near,
                    near.substring(ConfigKeys.ENV_PREFIX.length()).toLowerCase(Locale.ROOT)
                            .replace('_', '-')));
        }
    }
}
