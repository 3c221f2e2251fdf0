package dev.fathom.cli;

import dev.fathom.producer.storage.EnvelopeKey;
import dev.fathom.producer.storage.ObjectCodec;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import picocli.CommandLine.Option;

/**
 * The S3 options shared by the bucket-reading commands (restore, segments, verify), as a picocli mixin. Credentials
 * come from the options, else the FATHOM_S3_ACCESS_KEY / FATHOM_S3_SECRET_KEY environment variables, else the AWS
 * SDK default provider chain. Objects encrypted client-side (storage.profile.NAME.encryption.key) are decrypted with
 * --encryption-key or FATHOM_ENCRYPTION_KEY (prefer the environment: arguments show in process listings).
 */
final class S3Options {

    @Option(names = "--s3-endpoint", paramLabel = "URI",
            description = "S3 endpoint (S3-compatible stores); default: AWS S3 of the region")
    URI endpoint;

    @Option(names = "--bucket", paramLabel = "NAME", required = true, description = "bucket holding the segments")
    String bucket;

    @Option(names = "--prefix", paramLabel = "P", defaultValue = "", description = "key prefix (default: none)")
    String prefix;

    @Option(names = "--region", paramLabel = "R", defaultValue = "us-east-1",
            description = "S3 region (default: ${DEFAULT-VALUE})")
    String region;

    @Option(names = "--path-style", description = "use path-style requests (MinIO, S3Proxy)")
    boolean pathStyle;

    @Option(names = "--access-key", paramLabel = "KEY", defaultValue = "${env:FATHOM_S3_ACCESS_KEY}",
            description = "access key (default: env FATHOM_S3_ACCESS_KEY, else the AWS default provider chain)")
    String accessKey;

    @Option(names = "--secret-key", paramLabel = "SECRET", defaultValue = "${env:FATHOM_S3_SECRET_KEY}",
            description = "secret key (default: env FATHOM_S3_SECRET_KEY)")
    String secretKey;

    @Option(names = "--encryption-key", paramLabel = "BASE64", defaultValue = "${env:FATHOM_ENCRYPTION_KEY}",
            description = "client-side encryption key of the objects, as the workers' storage.profile.NAME"
                    + ".encryption.key (default: env FATHOM_ENCRYPTION_KEY; none = objects are not encrypted)")
    String encryptionKey;

    @Option(names = "--encryption-key-id", paramLabel = "ID", defaultValue = "${env:FATHOM_ENCRYPTION_KEY_ID}",
            description = "id of that key, as storage.profile.NAME.encryption.key.id (default: env"
                    + " FATHOM_ENCRYPTION_KEY_ID, else 'default')")
    String encryptionKeyId;

    /** Returns how the objects are stored: decrypted with the configured key, or read as they are. */
    ObjectCodec codec() {
        if (encryptionKey == null || encryptionKey.isBlank()) {
            return ObjectCodec.plaintext();
        }
        String id = encryptionKeyId == null || encryptionKeyId.isBlank() ? "default" : encryptionKeyId.trim();
        try {
            return ObjectCodec.encrypting(EnvelopeKey.parse(id, encryptionKey, "--encryption-key"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    /** Builds a client from the options; the caller closes it. */
    S3Client newClient() {
        boolean hasAccess = accessKey != null && !accessKey.isBlank();
        boolean hasSecret = secretKey != null && !secretKey.isBlank();
        if (hasAccess != hasSecret) {
            throw new UsageException("--access-key and --secret-key (or FATHOM_S3_ACCESS_KEY and FATHOM_S3_SECRET_KEY)"
                    + " must be given together");
        }
        S3ClientBuilder builder = S3Client.builder().forcePathStyle(pathStyle).region(Region.of(region));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        if (hasAccess) {
            builder.credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(accessKey, secretKey)));
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return builder.build();
    }

    /** The key prefix without leading or trailing slashes ("" for none). */
    String prefix() {
        String p = prefix == null ? "" : prefix;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /** {@code s3://bucket/key}. */
    String where(String key) {
        return "s3://" + bucket + "/" + key;
    }
}
