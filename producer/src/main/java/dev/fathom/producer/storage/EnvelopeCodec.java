package dev.fathom.producer.storage;

import dev.fathom.schemas.format.CorruptSegmentException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Client-side encryption of stored objects: the AES-256-GCM envelope of docs/FORMATS.md section 10. The plaintext is
 * cut into 16 KiB blocks, each sealed on its own so a page can be read with one ranged GET of the blocks holding it.
 * Each block's associated data is the header (plaintext size, key id, key check) + the object key + the block number,
 * so a block cannot move to another object, another position or an object of another length. Each nonce is
 * HMAC-SHA256(nonce key, associated data + plaintext block) cut to 12 bytes: a retried upload of the same object
 * writes identical bytes (invariant 4), and a nonce repeats only for an identical block (no GCM nonce reuse).
 * Immutable and thread-safe (a Cipher and a Mac are created per call).
 */
final class EnvelopeCodec implements ObjectCodec {

    private final EnvelopeKey key;

    EnvelopeCodec(EnvelopeKey key) {
        this.key = key;
    }

    @Override
    public boolean encrypts() {
        return true;
    }

    @Override
    public byte[] encode(String objectKey, byte[] plaintext) {
        EnvelopeHeader header = EnvelopeHeader.of(key, plaintext.length);
        byte[] headerBytes = header.bytes();
        byte[] out = new byte[Math.toIntExact(header.storedSize())];
        System.arraycopy(headerBytes, 0, out, 0, EnvelopeHeader.SIZE);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key.nonceKey());
            for (long i = 0; i < header.blocks(); i++) {
                int from = (int) (i * EnvelopeHeader.BLOCK_SIZE);
                int length = header.blockLength(i);
                int at = (int) EnvelopeHeader.blockOffset(i);
                byte[] aad = aad(headerBytes, objectKey, i);
                mac.update(aad);
                mac.update(plaintext, from, length);
                byte[] nonce = Arrays.copyOf(mac.doFinal(), EnvelopeHeader.NONCE_SIZE);
                System.arraycopy(nonce, 0, out, at, nonce.length);
                cipher.init(Cipher.ENCRYPT_MODE, key.encryptionKey(), new GCMParameterSpec(128, nonce));
                cipher.updateAAD(aad);
                cipher.doFinal(plaintext, from, length, out, at + EnvelopeHeader.NONCE_SIZE);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM encryption of " + objectKey + " failed: " + e, e);
        }
        return out;
    }

    @Override
    public byte[] decode(String objectKey, byte[] stored, String where) {
        EnvelopeHeader header = checkedHeader(stored, where);
        if (stored.length != header.storedSize()) {
            throw new CorruptSegmentException(where, Math.min(stored.length, header.storedSize()),
                    (stored.length < header.storedSize() ? "truncated" : "unexpected trailing bytes")
                            + ": the encryption header announces " + header.plaintextSize()
                            + " plaintext bytes, so " + header.storedSize() + " stored bytes, got " + stored.length);
        }
        byte[] plaintext = new byte[Math.toIntExact(header.plaintextSize())];
        byte[] headerBytes = header.bytes();
        Cipher cipher = cipher();
        for (long i = 0; i < header.blocks(); i++) {
            openBlock(cipher, headerBytes, objectKey, i, stored, (int) EnvelopeHeader.blockOffset(i),
                    header.blockLength(i), plaintext, (int) (i * EnvelopeHeader.BLOCK_SIZE), where,
                    EnvelopeHeader.blockOffset(i));
        }
        return plaintext;
    }

    @Override
    public InputStream decoding(String objectKey, InputStream stored, String where) {
        return new DecryptingInputStream(this, objectKey, stored, where);
    }

    @Override
    public StoredRange storedRange(long offset, int length, long plaintextSize) {
        EnvelopeHeader header = EnvelopeHeader.of(key, plaintextSize);
        long first = offset / EnvelopeHeader.BLOCK_SIZE;
        long last = (offset + length - 1) / EnvelopeHeader.BLOCK_SIZE;
        return new StoredRange(EnvelopeHeader.blockOffset(first),
                EnvelopeHeader.blockOffset(last) + EnvelopeHeader.BLOCK_OVERHEAD + header.blockLength(last) - 1);
    }

    @Override
    public byte[] decodeRange(String objectKey, byte[] stored, long offset, int length, long plaintextSize,
                              String where) {
        // The header is rebuilt from what the reader knows: a wrong key, key id or size fails every block's tag.
        EnvelopeHeader header = EnvelopeHeader.of(key, plaintextSize);
        byte[] headerBytes = header.bytes();
        StoredRange range = storedRange(offset, length, plaintextSize);
        if (stored.length != range.last() - range.first() + 1) {
            throw new CorruptSegmentException(where, range.first(), "ranged read " + range.header() + " returned "
                    + stored.length + " bytes, expected " + (range.last() - range.first() + 1));
        }
        long first = offset / EnvelopeHeader.BLOCK_SIZE;
        long last = (offset + length - 1) / EnvelopeHeader.BLOCK_SIZE;
        byte[] blocks = new byte[(int) ((last - first) * EnvelopeHeader.BLOCK_SIZE + header.blockLength(last))];
        Cipher cipher = cipher();
        for (long i = first; i <= last; i++) {
            openBlock(cipher, headerBytes, objectKey, i, stored,
                    (int) (EnvelopeHeader.blockOffset(i) - range.first()), header.blockLength(i), blocks,
                    (int) ((i - first) * EnvelopeHeader.BLOCK_SIZE), where, EnvelopeHeader.blockOffset(i));
        }
        int from = (int) (offset - first * EnvelopeHeader.BLOCK_SIZE);
        return Arrays.copyOfRange(blocks, from, from + length);
    }

    @Override
    public long plaintextSize(long storedSize) {
        return EnvelopeHeader.plaintextSize(storedSize);
    }

    /** Reads the header and checks that this key wrote the object, naming both keys when not. */
    EnvelopeHeader checkedHeader(byte[] stored, String where) {
        EnvelopeHeader header = EnvelopeHeader.read(stored, where);
        if (!header.keyId().equals(key.id()) || header.keyCheck() != key.check()) {
            throw new CorruptSegmentException(where, 24, "wrong encryption key: the object was encrypted with key '"
                    + header.keyId() + "' (check " + String.format("%08x", header.keyCheck())
                    + "), the configured key is " + key);
        }
        return header;
    }

    /** Decrypts block {@code i} at {@code src[srcAt]} into {@code dst[dstAt]}, verifying its tag. */
    void openBlock(Cipher cipher, byte[] headerBytes, String objectKey, long i, byte[] src, int srcAt, int length,
                   byte[] dst, int dstAt, String where, long storedOffset) {
        try {
            cipher.init(Cipher.DECRYPT_MODE, key.encryptionKey(),
                    new GCMParameterSpec(128, src, srcAt, EnvelopeHeader.NONCE_SIZE));
            cipher.updateAAD(aad(headerBytes, objectKey, i));
            int n = cipher.doFinal(src, srcAt + EnvelopeHeader.NONCE_SIZE, length + EnvelopeHeader.TAG_SIZE, dst,
                    dstAt);
            if (n != length) {
                throw new IllegalStateException("block " + i + " decrypted to " + n + " bytes, expected " + length);
            }
        } catch (AEADBadTagException e) {
            throw new CorruptSegmentException(where, storedOffset, "encrypted block " + i + " fails authentication:"
                    + " the stored bytes were changed or copied from another object, or the key differs from the one"
                    + " that wrote it (configured " + key + ")");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM decryption of " + where + " failed: " + e, e);
        }
    }

    Cipher cipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM/NoPadding is not available in this JVM", e);
        }
    }

    /** Associated data of block {@code i}: header bytes [0, 60), u16 key length, object key (UTF-8), u64 i. */
    private static byte[] aad(byte[] headerBytes, String objectKey, long i) {
        byte[] keyBytes = objectKey.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(60 + 2 + keyBytes.length + 8).put(headerBytes, 0, 60)
                .putShort((short) keyBytes.length).put(keyBytes).putLong(i).array();
    }

    @Override
    public String toString() {
        return "AES-256-GCM envelope with " + key;
    }
}
