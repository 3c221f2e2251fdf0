package dev.fathom.producer.agent;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rewrites a little-endian WAL written by SQLite on this machine as the WAL a big-endian machine would write for the
 * same frames: magic 0x377f0683 and every checksum recomputed over big-endian words. Written independently of
 * {@link WalChecksum} (plain byte arithmetic) so the reader's byte-order handling is checked against it. Stateless.
 */
final class BigEndianWal {

    private BigEndianWal() {
    }

    static Path rewrite(Path littleEndian, Path target, int pageSize) throws Exception {
        byte[] wal = Files.readAllBytes(littleEndian);
        int frameSize = 24 + pageSize;
        int frames = (wal.length - 32) / frameSize;
        byte[] out = new byte[32 + frames * frameSize];
        System.arraycopy(wal, 0, out, 0, out.length);
        putU32(out, 0, 0x377f0683L);
        long[] sum = checksum(out, 0, 24, new long[] {0, 0});
        putU32(out, 24, sum[0]);
        putU32(out, 28, sum[1]);
        for (int i = 0; i < frames; i++) {
            int offset = 32 + i * frameSize;
            sum = checksum(out, offset, 8, sum);
            sum = checksum(out, offset + 24, pageSize, sum);
            putU32(out, offset + 16, sum[0]);
            putU32(out, offset + 20, sum[1]);
        }
        return Files.write(target, out);
    }

    private static long[] checksum(byte[] bytes, int offset, int length, long[] start) {
        long s0 = start[0];
        long s1 = start[1];
        for (int i = offset; i < offset + length; i += 8) {
            s0 = (s0 + u32(bytes, i) + s1) & 0xFFFFFFFFL;
            s1 = (s1 + u32(bytes, i + 4) + s0) & 0xFFFFFFFFL;
        }
        return new long[] {s0, s1};
    }

    private static long u32(byte[] b, int i) {
        return ((b[i] & 0xFFL) << 24) | ((b[i + 1] & 0xFFL) << 16) | ((b[i + 2] & 0xFFL) << 8) | (b[i + 3] & 0xFFL);
    }

    private static void putU32(byte[] b, int i, long v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }
}
