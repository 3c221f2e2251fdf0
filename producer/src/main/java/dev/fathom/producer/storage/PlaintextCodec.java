package dev.fathom.producer.storage;

import dev.fathom.schemas.format.CorruptSegmentException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Stores objects as they are. Decoding refuses an encrypted object with a message saying which key setting is
 * missing, rather than letting the format reader report a bad magic. Stateless and thread-safe.
 */
final class PlaintextCodec implements ObjectCodec {

    static final PlaintextCodec INSTANCE = new PlaintextCodec();

    private PlaintextCodec() {
    }

    @Override
    public boolean encrypts() {
        return false;
    }

    @Override
    public byte[] encode(String key, byte[] plaintext) {
        return plaintext;
    }

    @Override
    public byte[] decode(String key, byte[] stored, String where) {
        refuseEnvelope(stored, where);
        return stored;
    }

    @Override
    public InputStream decoding(String key, InputStream stored, String where) {
        PushbackInputStream in = new PushbackInputStream(stored, EnvelopeHeader.MAGIC.length);
        try {
            byte[] start = in.readNBytes(EnvelopeHeader.MAGIC.length);
            refuseEnvelope(start, where);
            in.unread(start);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + where + ": " + e.getMessage(), e);
        }
        return in;
    }

    @Override
    public StoredRange storedRange(long offset, int length, long plaintextSize) {
        return new StoredRange(offset, offset + length - 1);
    }

    @Override
    public byte[] decodeRange(String key, byte[] stored, long offset, int length, long plaintextSize, String where) {
        return stored;
    }

    @Override
    public long plaintextSize(long storedSize) {
        return storedSize;
    }

    private static void refuseEnvelope(byte[] start, String where) {
        if (EnvelopeHeader.isEnvelope(Arrays.copyOf(start, Math.min(start.length, EnvelopeHeader.SIZE)))) {
            throw new CorruptSegmentException(where, 0, "the object is encrypted (Fathom envelope) but no"
                    + " encryption key is configured: set storage.profile.<name>.encryption.key (and .key.id), or"
                    + " --encryption-key / FATHOM_ENCRYPTION_KEY on the command line");
        }
    }

    @Override
    public String toString() {
        return "plaintext";
    }
}
