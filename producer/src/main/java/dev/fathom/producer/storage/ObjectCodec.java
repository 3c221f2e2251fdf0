package dev.fathom.producer.storage;

import java.io.InputStream;

/**
 * How a storage profile turns the bytes of a {@code .seg} or {@code .idx} object into what is stored and back:
 * unchanged ({@link PlaintextCodec}) or sealed in the AES-256-GCM envelope of docs/FORMATS.md section 10
 * ({@link EnvelopeCodec}). Encoding is deterministic (a retried upload writes identical bytes, invariant 4) and
 * bound to the object key (stored bytes copied to another key do not decode). Implementations are immutable and
 * thread-safe. Every decoding failure is a {@link dev.fathom.schemas.format.CorruptSegmentException} naming
 * {@code where} and the stored byte offset.
 */
public interface ObjectCodec {

    /** Returns the codec of a profile: the envelope when it has an encryption key, else plaintext. */
    static ObjectCodec of(StorageProfile profile) {
        return profile.encryptionKey() == null ? PlaintextCodec.INSTANCE : encrypting(profile.encryptionKey());
    }

    /** Returns the codec sealing objects in the envelope under {@code key}. */
    static ObjectCodec encrypting(EnvelopeKey key) {
        return new EnvelopeCodec(key);
    }

    /** Returns the codec that stores bytes as they are. */
    static ObjectCodec plaintext() {
        return PlaintextCodec.INSTANCE;
    }

    /** Returns whether stored bytes differ from the plaintext (client-side encryption). */
    boolean encrypts();

    /** Returns the bytes to store under {@code key} for {@code plaintext}. */
    byte[] encode(String key, byte[] plaintext);

    /** Returns the plaintext of the whole object {@code stored} read from {@code key}. */
    byte[] decode(String key, byte[] stored, String where);

    /**
     * Returns a stream of the plaintext of the object read from {@code key} through {@code stored}, verifying as it
     * goes (one block in memory); closing it closes {@code stored}.
     */
    InputStream decoding(String key, InputStream stored, String where);

    /** Returns the stored byte range to fetch for plaintext bytes {@code [offset, offset + length)}. */
    StoredRange storedRange(long offset, int length, long plaintextSize);

    /**
     * Returns plaintext bytes {@code [offset, offset + length)} of {@code key} from the stored bytes of
     * {@link #storedRange(long, int, long)}.
     */
    byte[] decodeRange(String key, byte[] stored, long offset, int length, long plaintextSize, String where);

    /** Returns the plaintext size of a well-formed stored object of {@code storedSize} bytes. */
    long plaintextSize(long storedSize);

    /**
     * An inclusive byte range of a stored object.
     *
     * @param first first byte
     * @param last  last byte (inclusive)
     */
    record StoredRange(long first, long last) {
        /** Returns the HTTP {@code Range} header value. */
        public String header() {
            return "bytes=" + first + "-" + last;
        }
    }
}
