package dev.fathom.worker;

import dev.fathom.producer.storage.StorageProfile;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The namespaces allowed to write through one storage profile ({@code storage.profile.<name>.allowed.namespaces}):
 * a list of globs where {@code *} matches any run of characters and {@code ?} one character; the default {@code *}
 * allows every namespace. A segment whose namespace matches none is dead-lettered (PROFILE_NOT_ALLOWED), so a node
 * that may name any profile still cannot write into a bucket meant for other tenants. Immutable and thread-safe.
 *
 * @param profile profile name
 * @param globs   the configured globs, as written
 */
public record NamespaceAllowList(String profile, List<String> globs) {

    /** Setting name under {@code storage.profile.<name>.}. */
    public static final String SETTING = "allowed.namespaces";

    private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9._*?-]{1,128}");

    public NamespaceAllowList {
        globs = List.copyOf(globs);
    }

    /** Returns the full key for {@code profile}, e.g. {@code storage.profile.tenants.allowed.namespaces}. */
    public static String key(String profile) {
        return StorageProfile.key(profile, SETTING);
    }

    /** Adds the key of profile {@code name} to {@code def}. */
    static void define(ConfigDef def, String name) {
        def.define(key(name), Type.LIST, "*", new GlobListValidator(), Importance.MEDIUM,
                "Namespaces allowed to write through storage profile '" + name + "', comma-separated globs of"
                        + " [A-Za-z0-9._-] where * matches any run of characters and ? one character (e.g."
                        + " tenant-a.*,shared). A segment of another namespace naming this profile is dead-lettered"
                        + " with reason PROFILE_NOT_ALLOWED. Default * = every namespace.");
    }

    /** Reads the list of profile {@code name} from parsed values (see {@link StorageProfile#read}). */
    @SuppressWarnings("unchecked")
    static NamespaceAllowList read(Function<String, Object> values, String name) {
        return new NamespaceAllowList(name, (List<String>) values.apply(key(name)));
    }

    /** Returns whether {@code namespace} matches one of the globs. */
    public boolean allows(String namespace) {
        return namespace != null && pattern().matcher(namespace).matches();
    }

    /** Returns whether every namespace is allowed (the default). */
    public boolean allowsAll() {
        return globs.contains("*");
    }

    private Pattern pattern() {
        return Pattern.compile(globs.stream().map(NamespaceAllowList::regex).collect(Collectors.joining("|")));
    }

    /** Translates one glob: everything is literal except * and ?. */
    private static String regex(String glob) {
        StringBuilder regex = new StringBuilder("(?:");
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.append(')').toString();
    }

    /** Refuses empty lists and globs with characters a namespace cannot have; a named type for the generated docs. */
    private record GlobListValidator() implements ConfigDef.Validator {
        @Override
        public void ensureValid(String key, Object value) {
            @SuppressWarnings("unchecked")
            List<String> globs = (List<String>) value;
            if (globs == null || globs.isEmpty()) {
                throw new ConfigException(key, value, "list at least one glob; '*' allows every namespace");
            }
            for (String glob : globs) {
                if (!GLOB.matcher(glob).matches()) {
                    throw new ConfigException(key, glob, "a glob has 1-128 characters of [A-Za-z0-9._-], * and ?");
                }
            }
        }

        @Override
        public String toString() {
            return "globs of [A-Za-z0-9._-*?]";
        }
    }
}
