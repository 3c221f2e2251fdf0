package dev.fathom.producer.storage;

import java.util.Locale;
import org.apache.kafka.common.config.ConfigException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The server-side encryption (SSE) a storage profile asks the store for on every PUT: none, SSE-S3 ({@code aes256})
 * or SSE-KMS ({@code aws:kms}, optionally with a key id). The store encrypts; reads need no header for these modes.
 * Immutable and thread-safe.
 *
 * @param mode     which SSE to request
 * @param kmsKeyId KMS key id or ARN for {@link Mode#AWS_KMS}; "" = the bucket's default (AWS managed) key
 */
public record ServerSideEncryption(Mode mode, String kmsKeyId) {

    /** No SSE header: the bucket's default encryption (if any) applies. */
    public static final ServerSideEncryption NONE = new ServerSideEncryption(Mode.NONE, "");

    /** The values of {@code storage.profile.<name>.sse}. */
    public enum Mode {
        /** No {@code x-amz-server-side-encryption} header. */
        NONE("none"),
        /** {@code x-amz-server-side-encryption: AES256} (SSE-S3). */
        AES256("aes256"),
        /** {@code x-amz-server-side-encryption: aws:kms} (SSE-KMS). */
        AWS_KMS("aws:kms");

        private final String configValue;

        Mode(String configValue) {
            this.configValue = configValue;
        }

        /** Returns the value as written in configuration. */
        public String configValue() {
            return configValue;
        }
    }

    public ServerSideEncryption {
        kmsKeyId = kmsKeyId == null ? "" : kmsKeyId.trim();
    }

    /**
     * Parses the configured mode and key id.
     *
     * @throws ConfigException naming {@code keyKey} when a KMS key id is given without {@code aws:kms}
     */
    public static ServerSideEncryption of(String mode, String kmsKeyId, String modeKey, String keyKey) {
        String value = mode == null ? "none" : mode.trim().toLowerCase(Locale.ROOT);
        for (Mode m : Mode.values()) {
            if (m.configValue.equals(value)) {
                ServerSideEncryption sse = new ServerSideEncryption(m, kmsKeyId);
                if (m != Mode.AWS_KMS && !sse.kmsKeyId.isEmpty()) {
                    throw new ConfigException(keyKey, kmsKeyId, "a KMS key id needs " + modeKey + "=aws:kms");
                }
                return sse;
            }
        }
        throw new ConfigException(modeKey, mode, "expected one of none, aes256, aws:kms");
    }

    /** Adds the SSE headers of this mode to a PUT (nothing for {@link Mode#NONE}). */
    public PutObjectRequest.Builder applyTo(PutObjectRequest.Builder put) {
        switch (mode) {
            case AES256 -> put.serverSideEncryption("AES256");
            case AWS_KMS -> {
                put.serverSideEncryption("aws:kms");
                if (!kmsKeyId.isEmpty()) {
                    put.ssekmsKeyId(kmsKeyId);
                }
            }
            case NONE -> { }
        }
        return put;
    }

    @Override
    public String toString() {
        return mode.configValue + (kmsKeyId.isEmpty() ? "" : " (key " + kmsKeyId + ")");
    }
}
