package dev.fathom.schemas.format;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The 52-byte header shared by the {@code .seg} and {@code .idx} objects (docs/FORMATS.md, "Object header"):
 * magic, version, reserved, page size, frame range, sealed_at, size_after, page count, header CRC32C.
 * Immutable and thread-safe.
 */
record ObjectHeader(int pageSize, long startFrameNo, long endFrameNo, long sealedAtMs, int sizeAfter,
        int pageCount) {

    static final int SIZE = 52;
    static final int VERSION = 1;
    static final int VERSION_OFFSET = 8;
    static final int RESERVED_OFFSET = 10;
    static final int PAGE_SIZE_OFFSET = 12;
    static final int START_OFFSET = 16;
    static final int END_OFFSET = 24;
    static final int SEALED_AT_OFFSET = 32;
    static final int SIZE_AFTER_OFFSET = 40;
    static final int PAGE_COUNT_OFFSET = 44;
    static final int CRC_OFFSET = 48;

    /** Writes the header with its CRC at the buffer's position, advancing it by {@link #SIZE}. */
    void writeTo(ByteBuffer out, byte[] magic) {
        int start = out.position();
        out.put(magic).putShort((short) VERSION).putShort((short) 0).putInt(pageSize)
                .putLong(startFrameNo).putLong(endFrameNo).putLong(sealedAtMs)
                .putInt(sizeAfter).putInt(pageCount);
        out.putInt(crc32c(out, start, start + CRC_OFFSET));
    }

    /**
     * Reads and verifies the header at offset 0 of {@code in}: length, magic, version, CRC, then field rules.
     *
     * @param kind what the object is, for messages ("compacted segment", "page index")
     */
    static ObjectHeader read(ByteBuffer in, byte[] magic, String kind, String where) {
        if (in.remaining() < SIZE) {
            throw new CorruptSegmentException(where, in.remaining(), "truncated " + kind + ": " + in.remaining()
                    + " bytes, expected at least the " + SIZE + "-byte header");
        }
        byte[] actualMagic = new byte[magic.length];
        in.get(0, actualMagic);
        if (!Arrays.equals(magic, actualMagic)) {
            throw new CorruptSegmentException(where, 0, "not a " + kind + ": expected magic " + describe(magic)
                    + ", actual " + describe(actualMagic));
        }
        int version = Short.toUnsignedInt(in.getShort(VERSION_OFFSET));
        if (version != VERSION) {
            throw new CorruptSegmentException(where, VERSION_OFFSET, "unsupported " + kind
                    + " format version: expected " + VERSION + ", actual " + version);
        }
        int expectedCrc = crc32c(in, 0, CRC_OFFSET);
        int actualCrc = in.getInt(CRC_OFFSET);
        if (expectedCrc != actualCrc) {
            throw new CorruptSegmentException(where, CRC_OFFSET, kind + " header CRC32C mismatch: computed "
                    + hex(expectedCrc) + ", stored " + hex(actualCrc));
        }
        ObjectHeader header = new ObjectHeader(in.getInt(PAGE_SIZE_OFFSET), in.getLong(START_OFFSET),
                in.getLong(END_OFFSET), in.getLong(SEALED_AT_OFFSET), in.getInt(SIZE_AFTER_OFFSET),
                in.getInt(PAGE_COUNT_OFFSET));
        header.check(Short.toUnsignedInt(in.getShort(RESERVED_OFFSET)), kind, where);
        return header;
    }

    private void check(int reserved, String kind, String where) {
        String prefix = kind + " header ";
        require(reserved == 0, where, RESERVED_OFFSET, prefix + "reserved field: expected 0, actual " + reserved);
        require(PageSize.isValid(Integer.toUnsignedLong(pageSize)), where, PAGE_SIZE_OFFSET,
                prefix + "page size: expected " + PageSize.RULE + ", actual " + Integer.toUnsignedLong(pageSize));
        require(startFrameNo >= 1, where, START_OFFSET,
                prefix + "start frame_no: expected >= 1, actual " + Long.toUnsignedString(startFrameNo));
        require(endFrameNo >= startFrameNo, where, END_OFFSET, prefix + "end frame_no: expected >= start frame_no "
                + startFrameNo + ", actual " + Long.toUnsignedString(endFrameNo));
        require(sealedAtMs >= 0 && sealedAtMs <= SegmentId.MAX_SEALED_AT_MS, where, SEALED_AT_OFFSET,
                prefix + "sealed_at_ms: expected 0.." + SegmentId.MAX_SEALED_AT_MS + ", actual "
                        + Long.toUnsignedString(sealedAtMs));
        require(sizeAfter >= 1, where, SIZE_AFTER_OFFSET, prefix + "size_after: expected 1.." + Integer.MAX_VALUE
                + ", actual " + Integer.toUnsignedLong(sizeAfter));
        long maxPages = Math.min(sizeAfter, endFrameNo - startFrameNo + 1);
        require(pageCount >= 0 && pageCount <= maxPages, where, PAGE_COUNT_OFFSET, prefix
                + "page count: expected 0.." + maxPages + " (<= size_after and <= frames in range), actual "
                + Integer.toUnsignedLong(pageCount));
    }

    static void require(boolean ok, String where, long offset, String problem) {
        if (!ok) {
            throw new CorruptSegmentException(where, offset, problem);
        }
    }

    SegmentId id() {
        return new SegmentId(startFrameNo, endFrameNo, sealedAtMs);
    }

    /** CRC32C of bytes [from, to) of {@code buf} (absolute offsets), leaving its position alone. */
    static int crc32c(ByteBuffer buf, int from, int to) {
        CRC32C crc = new CRC32C();
        crc.update(buf.duplicate().limit(to).position(from));
        return (int) crc.getValue();
    }

    static int crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    static String hex(int value) {
        return String.format("0x%08x", value);
    }

    static byte[] ascii(String magic) {
        return magic.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String describe(byte[] magic) {
        StringBuilder text = new StringBuilder("'");
        for (byte b : magic) {
            int c = b & 0xff;
            text.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return text.append('\'').toString();
    }
}
