package dev.fathom.producer.storage;

import dev.fathom.schemas.Namespace;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.NonEmptyString;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * One named S3 target: bucket, key prefix, endpoint and credentials, selected by the profile name a segment or a
 * read carries (segments never carry credentials). The worker writes through its profiles and the node's read path
 * reads through the same keys ({@code storage.profiles}, {@code storage.profile.<name>.*}), defined here once for
 * both configurations. Immutable and thread-safe.
 *
 * @param name profile name as in {@code storage.profiles}
 * @param bucket bucket the objects go to
 * @param prefix key prefix without leading or trailing '/', "" for none
 * @param endpoint endpoint override (S3-compatible stores), or null for AWS
 * @param region region, or "" for the SDK's default region chain
 * @param pathStyle whether to use path-style addressing (most S3-compatible stores need it)
 * @param accessKey access key id, or "" for the SDK's default credentials provider chain
 * @param secretKey secret key (masked when printed), or null with an empty access key
 * @param sse server-side encryption requested on every PUT
 * @param encryptionKey client-side encryption key of the objects (docs/FORMATS.md section 10), or null for none
 */
public record StorageProfile(String name, String bucket, String prefix, URI endpoint, String region,
                             boolean pathStyle, String accessKey, Password secretKey, ServerSideEncryption sse,
                             EnvelopeKey encryptionKey) {

    /** Name of the profile a worker has when {@code storage.profiles} is not set. */
    public static final String DEFAULT_NAME = "default";

    /** The key listing the profile names, in the worker's and the producer's configuration alike. */
    public static final String PROFILES_CONFIG = "storage.profiles";

    private static final String KEY_PREFIX = "storage.profile.";

    public StorageProfile {
        sse = sse == null ? ServerSideEncryption.NONE : sse;
    }

    /** A profile without server-side or client-side encryption. */
    public StorageProfile(String name, String bucket, String prefix, URI endpoint, String region, boolean pathStyle,
                          String accessKey, Password secretKey) {
        this(name, bucket, prefix, endpoint, region, pathStyle, accessKey, secretKey, ServerSideEncryption.NONE,
                null);
    }

    /** Returns how this profile's objects are stored: encrypted with its key, or as they are. */
    public ObjectCodec codec() {
        return ObjectCodec.of(this);
    }

    /** Returns a copy of this profile with client-side encryption under {@code key} (null = none). */
    public StorageProfile withEncryptionKey(EnvelopeKey key) {
        return new StorageProfile(name, bucket, prefix, endpoint, region, pathStyle, accessKey, secretKey, sse, key);
    }

    /** Returns a copy of this profile requesting {@code serverSide} on every PUT. */
    public StorageProfile withServerSideEncryption(ServerSideEncryption serverSide) {
        return new StorageProfile(name, bucket, prefix, endpoint, region, pathStyle, accessKey, secretKey, serverSide,
                encryptionKey);
    }

    /** Returns whether the SDK default credentials provider chain is used (no static keys configured). */
    public boolean usesDefaultCredentials() {
        return accessKey.isEmpty();
    }

    /** Returns the endpoint override, when configured. */
    public Optional<URI> endpointOverride() {
        return Optional.ofNullable(endpoint);
    }

    /** Returns the full key of a per-profile setting, e.g. {@code storage.profile.archive.bucket}. */
    public static String key(String profile, String setting) {
        return KEY_PREFIX + profile + "." + setting;
    }

    /**
     * Parses the raw value of {@code storage.profiles} (a list or a comma-separated string) and checks every name;
     * returns {@code whenAbsent} when the key is not set, so the caller can define each profile's keys before parsing.
     *
     * @throws ConfigException naming {@code storage.profiles} when a name cannot be part of a key
     */
    public static List<String> declaredNames(Object raw, List<String> whenAbsent) {
        @SuppressWarnings("unchecked")
        List<String> names = raw == null ? whenAbsent
                : (List<String>) ConfigDef.parseType(PROFILES_CONFIG, raw, Type.LIST);
        names.forEach(StorageProfile::checkName);
        return names;
    }

    /** Profile names follow the namespace rule, as the producer library checks them with it. */
    public static void checkName(String name) {
        if (!Namespace.isValid(name)) {
            throw new ConfigException(PROFILES_CONFIG, name,
                    "a profile name has 1 to 128 characters of [A-Za-z0-9._-] and is not '.' or '..'");
        }
    }

    /** Adds the keys of profile {@code name} to {@code def}. */
    public static void define(ConfigDef def, String name) {
        String about = " of storage profile '" + name + "'.";
        def.define(key(name, "bucket"), Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new NonEmptyString(),
                        Importance.HIGH, "Bucket" + about)
                .define(key(name, "prefix"), Type.STRING, "", prefixValidator(), Importance.MEDIUM,
                        "Object key prefix" + about + " No leading or trailing '/'; empty = none.")
                .define(key(name, "endpoint"), Type.STRING, "", Importance.MEDIUM,
                        "S3 endpoint URL" + about + " Empty = AWS (from the region).")
                .define(key(name, "region"), Type.STRING, "", Importance.MEDIUM,
                        "Region" + about + " Empty = the SDK's default region chain, or us-east-1 with an endpoint.")
                .define(key(name, "path.style"), Type.BOOLEAN, false, Importance.LOW,
                        "Whether to use path-style requests" + about + " Most S3-compatible stores need true.")
                .define(key(name, "access.key"), Type.STRING, "", Importance.MEDIUM,
                        "Access key id" + about + " Empty = the SDK's default credentials provider chain.")
                .define(key(name, "secret.key"), Type.PASSWORD, null, Importance.MEDIUM,
                        "Secret access key" + about + " Required with access.key.")
                .define(key(name, "sse"), Type.STRING, "none", ConfigDef.ValidString.in("none", "aes256", "aws:kms"),
                        Importance.MEDIUM, "Server-side encryption requested on every PUT (data and index objects)"
                                + about + " none = no header (the bucket's default applies), aes256 = SSE-S3,"
                                + " aws:kms = SSE-KMS. Reads need no setting.")
                .define(key(name, "sse.kms.key.id"), Type.STRING, "", Importance.LOW,
                        "KMS key id or ARN for sse=aws:kms" + about + " Empty = the bucket's default KMS key.")
                .define(key(name, "encryption.key"), Type.PASSWORD, null, Importance.MEDIUM,
                        "Client-side encryption key" + about + " Base64 of 32 random bytes (openssl rand -base64"
                                + " 32). When set, .seg and .idx objects are sealed with AES-256-GCM before upload"
                                + " and every reader of the profile needs the same key and key id"
                                + " (docs/FORMATS.md section 10). Empty = objects are stored unencrypted.")
                .define(key(name, "encryption.key.id"), Type.STRING, "default", Importance.LOW,
                        "Id of the client-side encryption key" + about + " 1 to 32 characters of [A-Za-z0-9._-],"
                                + " written into every encrypted object; a reader refuses an object written under"
                                + " another id or key, naming both.");
    }

    /**
     * Reads profile {@code name} from parsed configuration values ({@code values} maps a full key to its typed value,
     * e.g. {@code AbstractConfig::get} of a config whose definition went through {@link #define}).
     *
     * @throws ConfigException naming the key when the secret is missing or the endpoint is not a URL
     */
    public static StorageProfile read(Function<String, Object> values, String name) {
        String accessKey = (String) values.apply(key(name, "access.key"));
        Password secret = (Password) values.apply(key(name, "secret.key"));
        if (!accessKey.isEmpty() && (secret == null || secret.value().isEmpty())) {
            throw new ConfigException(key(name, "secret.key"), "[hidden]",
                    "required when " + key(name, "access.key") + " is set");
        }
        String endpoint = (String) values.apply(key(name, "endpoint"));
        ServerSideEncryption sse = ServerSideEncryption.of((String) values.apply(key(name, "sse")),
                (String) values.apply(key(name, "sse.kms.key.id")), key(name, "sse"), key(name, "sse.kms.key.id"));
        return new StorageProfile(name, (String) values.apply(key(name, "bucket")),
                (String) values.apply(key(name, "prefix")), endpoint(name, endpoint),
                (String) values.apply(key(name, "region")),
                (Boolean) values.apply(key(name, "path.style")), accessKey, secret, sse,
                encryptionKey(name, (Password) values.apply(key(name, "encryption.key")),
                        (String) values.apply(key(name, "encryption.key.id"))));
    }

    private static EnvelopeKey encryptionKey(String name, Password key, String id) {
        if (key == null || key.value().isBlank()) {
            return null;
        }
        try {
            return EnvelopeKey.parse(id, key.value(), key(name, "encryption.key"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static URI endpoint(String name, String raw) {
        if (raw.isBlank()) {
            return null;
        }
        try {
            URI uri = URI.create(raw.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key(name, "endpoint"), raw, "not an absolute URL like http://host:9000 ("
                    + e.getMessage() + ")");
        }
    }

    private static ConfigDef.Validator prefixValidator() {
        return new PrefixValidator();
    }

    /** Refuses a key prefix with a leading or trailing '/'; a named type so the generated docs can describe it. */
    private record PrefixValidator() implements ConfigDef.Validator {
        @Override
        public void ensureValid(String key, Object value) {
            String prefix = (String) value;
            if (prefix != null && (prefix.startsWith("/") || prefix.endsWith("/"))) {
                throw new ConfigException(key, value, "a key prefix must not start or end with '/'");
            }
        }

        @Override
        public String toString() {
            return "no leading or trailing '/'";
        }
    }
}
