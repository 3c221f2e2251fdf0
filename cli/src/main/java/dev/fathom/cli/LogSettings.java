package dev.fathom.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * How the {@code fathom} executable logs: format {@code text} (default) or {@code json} (one JSON object per line,
 * Logback's JsonEncoder, MDC included) from {@code --log-format} or {@code FATHOM_LOG_FORMAT}, and the level of
 * Fathom's own loggers from {@code FATHOM_LOG_LEVEL} (default INFO). The bundled logback.xml reads the same names, so
 * a plain start needs no work here; {@link #apply()} reloads it only when a flag or an injected environment asks for
 * something else than what it loaded. Immutable; {@link #apply()} changes the process-wide Logback context.
 *
 * @param format {@code text} or {@code json}
 * @param level  a Logback level name, upper case
 */
record LogSettings(String format, String level) {

    static final String FORMAT_ENV = "FATHOM_LOG_FORMAT";
    static final String LEVEL_ENV = "FATHOM_LOG_LEVEL";
    static final String FORMAT_OPTION = "--log-format";
    /** Context properties logback.xml prefers over the environment variables (set by {@link #apply()}). */
    static final String FORMAT_PROPERTY = "fathom.log.format";
    static final String LEVEL_PROPERTY = "fathom.log.level";

    private static final Set<String> FORMATS = Set.of("text", "json");
    // Logback turns an unknown level name into DEBUG; refuse it instead of flooding the output.
    private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    /**
     * Reads the settings from {@code args} (the last {@code --log-format F} or {@code --log-format=F} wins) and
     * {@code environment}; the flag beats the variable.
     *
     * @throws UsageException naming the flag or variable when a value is not allowed
     */
    static LogSettings resolve(String[] args, Map<String, String> environment) {
        String format = null;
        String formatSource = FORMAT_OPTION;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                break;
            }
            if (args[i].equals(FORMAT_OPTION) && i + 1 < args.length) {
                format = args[++i];
            } else if (args[i].startsWith(FORMAT_OPTION + "=")) {
                format = args[i].substring(FORMAT_OPTION.length() + 1);
            }
        }
        if (format == null) {
            format = environment.getOrDefault(FORMAT_ENV, "text");
            formatSource = FORMAT_ENV;
        }
        format = format.trim().toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(format)) {
            throw new UsageException("Invalid " + formatSource + " '" + format + "': use text or json");
        }
        String level = environment.getOrDefault(LEVEL_ENV, "INFO").trim().toUpperCase(Locale.ROOT);
        if (!LEVELS.contains(level)) {
            throw new UsageException("Invalid " + LEVEL_ENV + " '" + level + "': use one of " + LEVELS);
        }
        return new LogSettings(format, level);
    }

    /**
     * Makes Logback log with these settings, reloading the bundled logback.xml when what it loaded differs; does
     * nothing when another SLF4J binding is in use.
     */
    void apply() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return;
        }
        if (format.equals(context.getProperty(FORMAT_PROPERTY)) && level.equals(context.getProperty(LEVEL_PROPERTY))) {
            return;
        }
        URL config = LogSettings.class.getClassLoader().getResource("logback.xml");
        if (config == null) {
            return;
        }
        context.reset();
        context.putProperty(FORMAT_PROPERTY, format);
        context.putProperty(LEVEL_PROPERTY, level);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(config);
        } catch (JoranException e) {
            throw new IllegalStateException("Could not load the logging configuration " + config + ": " + e, e);
        }
    }
}
