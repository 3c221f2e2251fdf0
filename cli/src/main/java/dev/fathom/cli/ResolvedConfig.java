package dev.fathom.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A command's merged configuration and where each value came from. Immutable; thread-safe.
 *
 * @param values   every key set by a flag, an environment variable or the config file, with the winning value
 * @param origins  per key: {@code "flag"}, {@code "env FATHOM_..."} or {@code "file <path>"}
 * @param warnings the sentences logged at WARN while merging (mistyped environment variables)
 */
record ResolvedConfig(Map<String, String> values, Map<String, String> origins, List<String> warnings) {

    ResolvedConfig {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        origins = Map.copyOf(origins);
        warnings = List.copyOf(warnings);
    }

    /** Returns a modifiable copy of the values, to hand to a config class. */
    Map<String, String> properties() {
        return new LinkedHashMap<>(values);
    }

    /**
     * Returns " (KEY was set by ORIGIN)" for each key that {@code message} (a ConfigException's) names, so a bad
     * value can be traced to the flag, variable or file it came from; "" when it names none.
     */
    String tracing(String message) {
        List<String> named = new ArrayList<>();
        origins.forEach((key, origin) -> {
            if (names(message, "configuration " + key) || names(message, "\"" + key + "\"")) {
                named.add(key + " was set by " + origin);
            }
        });
        return named.isEmpty() ? "" : " (" + String.join("; ", named) + ")";
    }

    /** Whether {@code message} contains {@code phrase} not followed by more key characters (a.b vs a.b.c). */
    private static boolean names(String message, String phrase) {
        for (int at = message == null ? -1 : message.indexOf(phrase); at >= 0; at = message.indexOf(phrase, at + 1)) {
            int end = at + phrase.length();
            if (end == message.length() || !isKeyChar(message.charAt(end))
                    || end == message.length() - 1 && message.charAt(end) == '.') {
                return true;
            }
        }
        return false;
    }

    private static boolean isKeyChar(char c) {
        return Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_';
    }

    /**
     * Renders the configuration as a properties file, sorted by key, each key under a comment naming its origin;
     * secrets print as {@code [hidden]}.
     */
    String render(ConfigKeys keys) {
        StringBuilder text = new StringBuilder();
        text.append("# Effective ").append(keys.subject()).append(" configuration: flags > FATHOM_* environment >")
                .append(" config file > defaults (keys at their default are not listed)\n");
        new TreeMap<>(values).forEach((key, value) -> text.append("# from ").append(origins.get(key)).append('\n')
                .append(key).append('=').append(keys.isSecret(key) ? "[hidden]" : escape(value)).append('\n'));
        return text.toString();
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
