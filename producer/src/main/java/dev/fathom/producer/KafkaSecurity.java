package dev.fathom.producer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * The Kafka connection security keys shared by the worker, the node library and the agent: {@code kafka.security.*},
 * {@code kafka.sasl.*} and {@code kafka.ssl.*}, each applied (without the {@code kafka.} prefix) to every Kafka client
 * of the process: producers, consumers, admin clients and Kafka Streams. The common keys are declared here with
 * types, so passwords are {@link Type#PASSWORD} (masked in every config dump); any other {@code kafka.sasl.*} or
 * {@code kafka.ssl.*} key passes through unchecked (e.g. {@code kafka.ssl.truststore.certificates}). Per-client
 * prefixes ({@code kafka.producer.ssl...}) still win over these. Stateless and thread-safe.
 *
 * <p>{@code kafka.sasl.username} + {@code kafka.sasl.password} build the JAAS line of SCRAM or PLAIN, so a password
 * never has to be written inside a {@code sasl.jaas.config} string; an explicit {@code kafka.sasl.jaas.config} is the
 * alternative for other mechanisms (GSSAPI, OAUTHBEARER).
 */
public final class KafkaSecurity {

    /** Prefix of every key here; removed when a key is handed to a Kafka client. */
    public static final String PREFIX = "kafka.";

    public static final String SECURITY_PROTOCOL_CONFIG = "kafka.security.protocol";
    public static final String SASL_MECHANISM_CONFIG = "kafka.sasl.mechanism";
    public static final String SASL_USERNAME_CONFIG = "kafka.sasl.username";
    public static final String SASL_PASSWORD_CONFIG = "kafka.sasl.password";
    public static final String SASL_JAAS_CONFIG = "kafka.sasl.jaas.config";
    public static final String SSL_TRUSTSTORE_LOCATION_CONFIG = "kafka.ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD_CONFIG = "kafka.ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE_CONFIG = "kafka.ssl.truststore.type";
    public static final String SSL_KEYSTORE_LOCATION_CONFIG = "kafka.ssl.keystore.location";
    public static final String SSL_KEYSTORE_PASSWORD_CONFIG = "kafka.ssl.keystore.password";
    public static final String SSL_KEYSTORE_TYPE_CONFIG = "kafka.ssl.keystore.type";
    public static final String SSL_KEY_PASSWORD_CONFIG = "kafka.ssl.key.password";
    public static final String SSL_ENDPOINT_IDENTIFICATION_CONFIG = "kafka.ssl.endpoint.identification.algorithm";

    /** Mechanisms whose JAAS line Fathom can build from a user name and password. */
    static final Map<String, String> LOGIN_MODULES = Map.of(
            "SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule",
            "SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule",
            "PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule");

    private static final List<String> PASS_THROUGH_PREFIXES = List.of("kafka.sasl.", "kafka.ssl.");
    /** Fathom's own convenience keys: never handed to a client under their own name. */
    private static final Set<String> FATHOM_ONLY = Set.of(SASL_USERNAME_CONFIG, SASL_PASSWORD_CONFIG);

    private KafkaSecurity() {
    }

    /** Adds the security keys to {@code def}. */
    public static ConfigDef define(ConfigDef def) {
        String all = " Applied to every Kafka client (producer, consumers, admin, Streams).";
        return def
                .define(SECURITY_PROTOCOL_CONFIG, Type.STRING, SecurityProtocol.PLAINTEXT.name,
                        new ProtocolValidator(), Importance.MEDIUM, "Protocol used to talk to the brokers:"
                                + " PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL." + all)
                .define(SASL_MECHANISM_CONFIG, Type.STRING, "", Importance.MEDIUM, "SASL mechanism, e.g."
                        + " SCRAM-SHA-512, SCRAM-SHA-256, PLAIN, OAUTHBEARER; empty = the client default (GSSAPI)."
                        + all)
                .define(SASL_USERNAME_CONFIG, Type.STRING, "", Importance.MEDIUM, "SASL user name for SCRAM-SHA-256,"
                        + " SCRAM-SHA-512 or PLAIN; with kafka.sasl.password Fathom builds sasl.jaas.config, so the"
                        + " password never sits inside a JAAS string. Empty = use kafka.sasl.jaas.config.")
                .define(SASL_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, "SASL password of"
                        + " kafka.sasl.username. Never logged. Put it in the environment or a file referenced"
                        + " through a config provider rather than in a shared properties file.")
                .define(SASL_JAAS_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, "Full JAAS line of the SASL"
                        + " login module (any mechanism); not together with kafka.sasl.username. Never logged." + all)
                .define(SSL_TRUSTSTORE_LOCATION_CONFIG, Type.STRING, "", Importance.MEDIUM, "Trust store file"
                        + " holding the CA that signed the brokers' certificates; empty = the JVM's trust store."
                        + all)
                .define(SSL_TRUSTSTORE_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.MEDIUM,
                        "Password of the trust store. Never logged.")
                .define(SSL_TRUSTSTORE_TYPE_CONFIG, Type.STRING, "", Importance.LOW,
                        "Trust store type (JKS, PKCS12, PEM); empty = the client default (JKS).")
                .define(SSL_KEYSTORE_LOCATION_CONFIG, Type.STRING, "", Importance.MEDIUM, "Key store with this"
                        + " client's certificate, for mutual TLS (brokers with ssl.client.auth=required)." + all)
                .define(SSL_KEYSTORE_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.MEDIUM,
                        "Password of the key store. Never logged.")
                .define(SSL_KEYSTORE_TYPE_CONFIG, Type.STRING, "", Importance.LOW,
                        "Key store type (JKS, PKCS12, PEM); empty = the client default (JKS).")
                .define(SSL_KEY_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.LOW,
                        "Password of the private key in the key store, when it differs. Never logged.")
                .define(SSL_ENDPOINT_IDENTIFICATION_CONFIG, Type.STRING, "https", Importance.LOW,
                        "Host name verification of broker certificates: 'https' (on) or empty (off; only for"
                                + " test clusters)." + all);
    }

    /**
     * Checks the combination of security keys of {@code config} (whose definition went through {@link #define}).
     *
     * @throws ConfigException naming the key when user name, password, JAAS line and mechanism do not fit together
     */
    public static void validate(AbstractConfig config) {
        String user = config.getString(SASL_USERNAME_CONFIG);
        Password password = config.getPassword(SASL_PASSWORD_CONFIG);
        String mechanism = mechanism(config);
        if (user.isEmpty()) {
            if (password != null) {
                throw new ConfigException(SASL_PASSWORD_CONFIG, "[hidden]", "needs " + SASL_USERNAME_CONFIG);
            }
            return;
        }
        if (password == null || password.value().isEmpty()) {
            throw new ConfigException(SASL_PASSWORD_CONFIG, "[hidden]", "required when " + SASL_USERNAME_CONFIG
                    + " is set");
        }
        if (config.getPassword(SASL_JAAS_CONFIG) != null) {
            throw new ConfigException(SASL_JAAS_CONFIG, "[hidden]", "set either " + SASL_JAAS_CONFIG + " or "
                    + SASL_USERNAME_CONFIG + "/" + SASL_PASSWORD_CONFIG + ", not both");
        }
        if (!LOGIN_MODULES.containsKey(mechanism)) {
            throw new ConfigException(SASL_MECHANISM_CONFIG, mechanism, "must be one of "
                    + LOGIN_MODULES.keySet().stream().sorted().toList() + " with " + SASL_USERNAME_CONFIG
                    + "; use " + SASL_JAAS_CONFIG + " for other mechanisms");
        }
        if (!protocol(config).name.startsWith("SASL_")) {
            throw new ConfigException(SECURITY_PROTOCOL_CONFIG, protocol(config).name, "must be SASL_PLAINTEXT or"
                    + " SASL_SSL when " + SASL_USERNAME_CONFIG + " is set");
        }
    }

    /**
     * Returns the client settings (prefix removed) of {@code config}: every declared key that is set, the JAAS line
     * built from user name and password, and every other {@code kafka.sasl.*} / {@code kafka.ssl.*} original as is.
     * Passwords stay {@link Password} values, which the clients accept and never print.
     */
    public static Map<String, Object> clientSettings(AbstractConfig config) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(strip(SECURITY_PROTOCOL_CONFIG), protocol(config).name);
        config.originals().forEach((key, value) -> {
            if (PASS_THROUGH_PREFIXES.stream().anyMatch(key::startsWith) && !FATHOM_ONLY.contains(key)
                    && value != null) {
                Object typed = config.values().containsKey(key) ? config.values().get(key) : value;
                if (typed != null && !"".equals(typed)) {
                    settings.put(strip(key), typed);
                }
            }
        });
        // The default "https" must reach the clients even when not set, and an explicit "" must turn it off.
        settings.put(strip(SSL_ENDPOINT_IDENTIFICATION_CONFIG), config.getString(SSL_ENDPOINT_IDENTIFICATION_CONFIG));
        if (!mechanism(config).isEmpty()) {
            settings.put(strip(SASL_MECHANISM_CONFIG), mechanism(config));
        }
        String user = config.getString(SASL_USERNAME_CONFIG);
        if (!user.isEmpty()) {
            settings.put(strip(SASL_JAAS_CONFIG), new Password(jaasLine(mechanism(config), user,
                    config.getPassword(SASL_PASSWORD_CONFIG).value())));
        }
        return settings;
    }

    /** Returns a description for start-up logs without any secret, e.g. "SASL_PLAINTEXT (SCRAM-SHA-512 as bob)". */
    public static String describe(AbstractConfig config) {
        SecurityProtocol protocol = protocol(config);
        if (!protocol.name.startsWith("SASL_")) {
            return protocol.name;
        }
        String user = config.getString(SASL_USERNAME_CONFIG);
        String mechanism = mechanism(config).isEmpty() ? "GSSAPI" : mechanism(config);
        return protocol.name + " (" + mechanism + (user.isEmpty() ? ", JAAS config" : " as " + user) + ")";
    }

    static String jaasLine(String mechanism, String user, String password) {
        return LOGIN_MODULES.get(mechanism) + " required username=\"" + escape(user) + "\" password=\""
                + escape(password) + "\";";
    }

    /** JAAS values are double-quoted strings: a quote or backslash in a password must not end the value. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static SecurityProtocol protocol(AbstractConfig config) {
        return SecurityProtocol.forName(config.getString(SECURITY_PROTOCOL_CONFIG).trim().toUpperCase(Locale.ROOT));
    }

    private static String mechanism(AbstractConfig config) {
        return config.getString(SASL_MECHANISM_CONFIG).trim().toUpperCase(Locale.ROOT);
    }

    private static String strip(String key) {
        return key.substring(PREFIX.length());
    }

    /** Accepts the four protocol names in any case; a named type so the generated docs can describe it. */
    private record ProtocolValidator() implements ConfigDef.Validator {
        @Override
        public void ensureValid(String key, Object value) {
            String name = value == null ? "" : value.toString().trim().toUpperCase(Locale.ROOT);
            if (!SecurityProtocol.names().contains(name)) {
                throw new ConfigException(key, value, "must be one of " + SecurityProtocol.names());
            }
        }

        @Override
        public String toString() {
            return "[PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL]";
        }
    }
}
