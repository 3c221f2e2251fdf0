package dev.fathom.producer.storage;

import dev.fathom.schemas.format.CorruptSegmentException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The 64-byte header of an encrypted object (docs/FORMATS.md section 10) and the block layout it implies: plaintext
 * cut into {@link #BLOCK_SIZE}-byte blocks, each stored as 12-byte nonce, ciphertext and 16-byte GCM tag. Immutable
 * and thread-safe.
 *
 * @param plaintextSize size of the object before encryption
 * @param keyId         id of the key that encrypted the object
 * @param keyCheck      key check value of that key
 */
record EnvelopeHeader(long plaintextSize, String keyId, int keyCheck) {

    /** Header size in bytes. */
    static final int SIZE = 64;
    /** Plaintext bytes per block in version 1 (the last block may be shorter). */
    static final int BLOCK_SIZE = 16 * 1024;
    static final int NONCE_SIZE = 12;
    static final int TAG_SIZE = 16;
    /** Stored bytes a block adds to its plaintext. */
    static final int BLOCK_OVERHEAD = NONCE_SIZE + TAG_SIZE;
    static final byte[] MAGIC = "FTHMENC\u0001".getBytes(StandardCharsets.ISO_8859_1);
    private static final int VERSION = 1;
    private static final int KEY_ID_OFFSET = 24;
    private static final int KEY_CHECK_OFFSET = 56;
    private static final int CRC_OFFSET = 60;

    static EnvelopeHeader of(EnvelopeKey key, long plaintextSize) {
        return new EnvelopeHeader(plaintextSize, key.id(), key.check());
    }

    /** Number of blocks: ceil(plaintextSize / BLOCK_SIZE). */
    long blocks() {
        return (plaintextSize + BLOCK_SIZE - 1) / BLOCK_SIZE;
    }

    /** Plaintext length of block {@code i}. */
    int blockLength(long i) {
        return (int) Math.min(BLOCK_SIZE, plaintextSize - i * BLOCK_SIZE);
    }

    /** Stored offset of block {@code i} (its nonce). */
    static long blockOffset(long i) {
        return SIZE + i * (BLOCK_SIZE + BLOCK_OVERHEAD);
    }

    /** Size of the stored object. */
    long storedSize() {
        return SIZE + plaintextSize + blocks() * BLOCK_OVERHEAD;
    }

    /** Plaintext size of a well-formed stored object of {@code storedSize} bytes (-1 when no size fits). */
    static long plaintextSize(long storedSize) {
        long body = storedSize - SIZE;
        if (body < 0) {
            return -1;
        }
        long full = body / (BLOCK_SIZE + BLOCK_OVERHEAD);
        long rest = body % (BLOCK_SIZE + BLOCK_OVERHEAD);
        if (rest == 0) {
            return full * BLOCK_SIZE;
        }
        return rest > BLOCK_OVERHEAD ? full * BLOCK_SIZE + rest - BLOCK_OVERHEAD : -1;
    }

    /** The 64 header bytes: magic, version, reserved, block size, plaintext size, key id, key check, CRC32C. */
    byte[] bytes() {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.put(MAGIC).putShort((short) VERSION).putShort((short) 0).putInt(BLOCK_SIZE).putLong(plaintextSize);
        b.put(Arrays.copyOf(keyId.getBytes(StandardCharsets.US_ASCII), EnvelopeKey.MAX_ID_LENGTH));
        b.putInt(keyCheck);
        b.putInt(crc(b.array()));
        return b.array();
    }

    /** Returns whether {@code bytes} start with the envelope magic. */
    static boolean isEnvelope(byte[] bytes) {
        return bytes.length >= MAGIC.length && Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /**
     * Parses and checks a header (magic, version, reserved, block size, key id, CRC32C).
     *
     * @throws CorruptSegmentException naming {@code where} and the offset
     */
    static EnvelopeHeader read(byte[] bytes, String where) {
        if (bytes.length < SIZE) {
            throw new CorruptSegmentException(where, bytes.length, "truncated: " + bytes.length
                    + " bytes, expected at least the " + SIZE + "-byte encryption header");
        }
        if (!isEnvelope(bytes)) {
            throw new CorruptSegmentException(where, 0, "not encrypted: expected the encryption magic FTHMENC\\x01"
                    + " (is storage.profile.<name>.encryption.key set only on the reading side?)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, SIZE);
        int crc = b.getInt(CRC_OFFSET);
        if (crc != crc(bytes)) {
            throw new CorruptSegmentException(where, CRC_OFFSET, "encryption header CRC32C mismatch");
        }
        int version = b.getShort(8) & 0xffff;
        if (version != VERSION || b.getShort(10) != 0) {
            throw new CorruptSegmentException(where, 8, "unsupported encryption format version: expected 1,"
                    + " actual " + version + " (reserved " + b.getShort(10) + ")");
        }
        int blockSize = b.getInt(12);
        if (blockSize != BLOCK_SIZE) {
            throw new CorruptSegmentException(where, 12, "encryption block size: expected " + BLOCK_SIZE
                    + ", actual " + blockSize);
        }
        long size = b.getLong(16);
        if (size < 0) {
            throw new CorruptSegmentException(where, 16, "negative plaintext size " + size);
        }
        int end = KEY_ID_OFFSET;
        while (end < KEY_CHECK_OFFSET && bytes[end] != 0) {
            end++;
        }
        String keyId = new String(bytes, KEY_ID_OFFSET, end - KEY_ID_OFFSET, StandardCharsets.US_ASCII);
        return new EnvelopeHeader(size, keyId, b.getInt(KEY_CHECK_OFFSET));
    }

    private static int crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, CRC_OFFSET);
        return (int) crc.getValue();
    }
}
