package dev.fathom.schemas.format;

import java.nio.ByteBuffer;

/**
 * Test-side re-sealing of hand-edited .seg/.idx bytes: recomputes every CRC32C at the offsets docs/FORMATS.md
 * gives, so structural checks can be tested behind valid checksums. Written from the document, not the writer.
 */
final class ObjectBytes {

    private ObjectBytes() {
    }

    static byte[] resealSegment(byte[] seg) {
        ByteBuffer buf = ByteBuffer.wrap(seg.clone());
        buf.putInt(48, crc(buf, 0, 48));
        int pageSize = buf.getInt(12);
        int records = (seg.length - 52 - 16) / (16 + pageSize);
        for (int i = 0; i < records; i++) {
            int record = 52 + i * (16 + pageSize);
            buf.putInt(record + 12, crc(buf, record + 16, record + 16 + pageSize));
        }
        buf.putInt(seg.length - 4, crc(buf, 52, seg.length - 4));
        return buf.array();
    }

    static byte[] resealIndex(byte[] idx) {
        ByteBuffer buf = ByteBuffer.wrap(idx.clone());
        buf.putInt(48, crc(buf, 0, 48));
        buf.putInt(idx.length - 4, crc(buf, 0, idx.length - 4));
        return buf.array();
    }

    private static int crc(ByteBuffer buf, int from, int to) {
        byte[] range = new byte[to - from];
        buf.get(from, range);
        return GoldenVectorsTest.crc(range);
    }
}
