package dev.fathom.producer.storage;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A client-side encryption key of a storage profile: a 256-bit master key and its id, with the subkeys the object
 * envelope uses (docs/FORMATS.md section 10), each HKDF-Expand-SHA256(master, info, 32): the AES-256-GCM key, the
 * nonce key (deterministic, content-bound nonces) and a 4-byte key check that lets a reader name a wrong key.
 * Immutable and thread-safe; {@link #toString} never shows key material.
 */
public final class EnvelopeKey {

    /** A key id is stored in a 32-byte header field and is part of every block's associated data. */
    public static final int MAX_ID_LENGTH = 32;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_ID_LENGTH + "}");

    private final String id;
    private final SecretKeySpec encryptionKey;
    private final SecretKeySpec nonceKey;
    private final int check;

    private EnvelopeKey(String id, byte[] master) {
        this.id = id;
        this.encryptionKey = new SecretKeySpec(expand(master, "fathom envelope v1 aes-256-gcm"), "AES");
        this.nonceKey = new SecretKeySpec(expand(master, "fathom envelope v1 nonce"), "HmacSHA256");
        byte[] check = expand(master, "fathom envelope v1 key check");
        this.check = ((check[0] & 0xff) << 24) | ((check[1] & 0xff) << 16) | ((check[2] & 0xff) << 8)
                | (check[3] & 0xff);
    }

    /**
     * Parses a base64 (standard or URL-safe alphabet) 256-bit key and its id.
     *
     * @param where what to name in errors, e.g. {@code storage.profile.default.encryption.key}
     * @throws IllegalArgumentException naming {@code where} when the key is not base64 of exactly 32 bytes or the
     *                                  id is not 1..32 characters of [A-Za-z0-9._-]
     */
    public static EnvelopeKey parse(String id, String base64, String where) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException(where + ": the key id '" + id + "' must have 1 to " + MAX_ID_LENGTH
                    + " characters of [A-Za-z0-9._-]");
        }
        String text = base64 == null ? "" : base64.trim();
        byte[] master;
        try {
            master = text.contains("-") || text.contains("_") ? Base64.getUrlDecoder().decode(text)
                    : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            // The decoder's message would quote a character of the secret: say only what is expected.
            throw new IllegalArgumentException(where + ": not base64 of 32 bytes; generate a key with:"
                    + " openssl rand -base64 32");
        }
        if (master.length != 32) {
            throw new IllegalArgumentException(where + ": a key must be 32 bytes (256 bits) in base64, got "
                    + master.length + " bytes; generate one with: openssl rand -base64 32");
        }
        return new EnvelopeKey(id, master);
    }

    /** Returns the key id written into every object this key encrypts. */
    public String id() {
        return id;
    }

    /** Returns the key check value: the first 4 bytes of HKDF-Expand(master, "fathom envelope v1 key check"). */
    public int check() {
        return check;
    }

    SecretKeySpec encryptionKey() {
        return encryptionKey;
    }

    SecretKeySpec nonceKey() {
        return nonceKey;
    }

    /** HKDF-Expand (RFC 5869) with SHA-256 for one 32-byte block: HMAC(master, info || 0x01). */
    private static byte[] expand(byte[] master, String info) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master, "HmacSHA256"));
            mac.update(info.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) 1);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "key '" + id + "' (check " + String.format("%08x", check) + ")";
    }
}
