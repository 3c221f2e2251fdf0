package dev.fathom.cli;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The keys one command's configuration accepts, and how each maps to an environment variable: key {@code a.b.c} is
 * variable {@code FATHOM_A_B_C} (upper case, every {@code .} and {@code -} becomes {@code _}). Keys come from the
 * command's {@link ConfigDef}s: plain keys, per-profile keys written with the placeholder {@code <name>}
 * ({@code storage.profile.<name>.bucket}: the name is matched against the declared profile names) and pass-through
 * prefixes ({@code kafka.producer.}: the rest of the variable becomes the lower-case dotted client key). Immutable;
 * thread-safe.
 *
 * @param subject   what the keys configure, for messages ("worker", "agent")
 * @param keys      plain keys, each with whether it is a secret (type password)
 * @param templates keys containing {@value #NAME}, each with whether it is a secret
 * @param prefixes  pass-through prefixes, each ending with a dot
 */
record ConfigKeys(String subject, Map<String, Boolean> keys, Map<String, Boolean> templates, List<String> prefixes) {

    /** Prefix of every environment variable that can carry a key. */
    static final String ENV_PREFIX = "FATHOM_";
    /** The placeholder of a profile name in a documented key. */
    static final String NAME = "<name>";
    /** Kafka security settings passed through to every client (producer KafkaSecurity), beside the defined ones. */
    static final String SASL_PREFIX = "kafka.sasl.";
    static final String SSL_PREFIX = "kafka.ssl.";

    ConfigKeys {
        keys = Map.copyOf(keys);
        templates = Map.copyOf(templates);
        prefixes = List.copyOf(prefixes);
    }

    /** Collects the keys of {@code defs} (documented form, with {@value #NAME} placeholders) and {@code prefixes}. */
    static ConfigKeys of(String subject, Collection<ConfigDef> defs, List<String> prefixes) {
        Map<String, Boolean> keys = new LinkedHashMap<>();
        Map<String, Boolean> templates = new LinkedHashMap<>();
        for (ConfigDef def : defs) {
            def.configKeys().forEach((key, spec) ->
                    (key.contains(NAME) ? templates : keys).put(key, spec.type == Type.PASSWORD));
        }
        return new ConfigKeys(subject, keys, templates, prefixes);
    }

    /** Returns the environment variable of {@code key}: {@code FATHOM_} + upper case, {@code .} and {@code -} → _. */
    static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * Returns the key environment variable {@code variable} sets, if any: a plain key first, then a per-profile key of
     * one of {@code profileNames} (or of the lower-cased name in the variable when none matches), then a
     * pass-through key.
     */
    Optional<String> keyOf(String variable, Collection<String> profileNames) {
        for (String key : keys.keySet()) {
            if (envName(key).equals(variable)) {
                return Optional.of(key);
            }
        }
        Optional<String> templated = templatedKeyOf(variable, profileNames);
        if (templated.isPresent()) {
            return templated;
        }
        for (String prefix : prefixes) {
            String envPrefix = envName(prefix);
            if (variable.startsWith(envPrefix) && variable.length() > envPrefix.length()) {
                String rest = variable.substring(envPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                return Optional.of(prefix + rest);
            }
        }
        return Optional.empty();
    }

    private Optional<String> templatedKeyOf(String variable, Collection<String> profileNames) {
        String best = null;
        int bestSuffix = -1;
        for (String template : templates.keySet()) {
            int at = template.indexOf(NAME);
            String envHead = envName(template.substring(0, at));
            String envTail = envName(template.substring(at + NAME.length())).substring(ENV_PREFIX.length());
            if (variable.length() > envHead.length() + envTail.length() && variable.startsWith(envHead)
                    && variable.endsWith(envTail) && envTail.length() > bestSuffix) {
                String envProfile = variable.substring(envHead.length(), variable.length() - envTail.length());
                String profile = profileNames.stream().filter(n -> nameForm(n).equals(envProfile)).findFirst()
                        .orElse(envProfile.toLowerCase(Locale.ROOT));
                best = template.replace(NAME, profile);
                bestSuffix = envTail.length();
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Returns whether {@code key} holds a secret, to mask it when printed: a defined key of type password, or a key
     * Fathom does not define (a client pass-through) whose name says password, secret or jaas.
     */
    boolean isSecret(String key) {
        if (keys.containsKey(key)) {
            return keys.get(key);
        }
        if (key.contains("password") || key.contains("secret") || key.contains("jaas")) {
            return true;
        }
        for (Map.Entry<String, Boolean> t : templates.entrySet()) {
            int at = t.getKey().indexOf(NAME);
            if (t.getValue() && key.startsWith(t.getKey().substring(0, at))
                    && key.endsWith(t.getKey().substring(at + NAME.length()))) {
                return true;
            }
        }
        return false;
    }

    /** Returns every variable name these keys answer to, the per-profile ones for {@code profileNames}, sorted. */
    Set<String> envNames(Collection<String> profileNames) {
        Set<String> names = new TreeSet<>();
        keys.keySet().forEach(k -> names.add(envName(k)));
        for (String template : templates.keySet()) {
            for (String profile : profileNames) {
                names.add(envName(template.replace(NAME, profile)));
            }
        }
        return names;
    }

    private static String nameForm(String profile) {
        return profile.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
