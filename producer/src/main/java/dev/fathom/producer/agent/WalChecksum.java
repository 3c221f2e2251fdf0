package dev.fathom.producer.agent;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * SQLite's cumulative WAL checksum (https://www.sqlite.org/fileformat.html, section 4.2): over pairs of 32-bit words
 * x(i), x(i+1), {@code s0 += x(i) + s1; s1 += x(i+1) + s0}, with 32-bit wrap-around, words read in the byte order
 * the WAL magic selects. Not thread-safe; one instance follows one chain of frames.
 */
final class WalChecksum {

    private final ByteOrder order;
    private int s0;
    private int s1;

    WalChecksum(boolean bigEndian, int s0, int s1) {
        this.order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        this.s0 = s0;
        this.s1 = s1;
    }

    /** Adds {@code length} bytes of {@code bytes} from {@code offset}; length is a multiple of 8, as SQLite's is. */
    void update(ByteBuffer bytes, int offset, int length) {
        ByteBuffer words = bytes.duplicate().order(order);
        for (int i = offset; i < offset + length; i += 8) {
            s0 += words.getInt(i) + s1;
            s1 += words.getInt(i + 4) + s0;
        }
    }

    int s0() {
        return s0;
    }

    int s1() {
        return s1;
    }
}
