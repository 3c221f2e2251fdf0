package dev.fathom.worker.rebuild;

/**
 * Computes the CRC32C of a concatenation from the CRC32Cs of its parts (zlib's {@code crc32_combine}, with the
 * Castagnoli polynomial), so the whole-object CRC of a {@code .seg} follows from its header, its trailer CRC and its
 * length without fetching the pages in between. Stateless and thread-safe.
 */
final class Crc32cCombiner {

    /** The reflected Castagnoli polynomial 0x1EDC6F41, as {@code java.util.zip.CRC32C} uses it. */
    private static final long POLYNOMIAL = 0x82F63B78L;
    private static final int BITS = 32;

    private Crc32cCombiner() {
    }

    /**
     * Returns CRC32C(A ‖ B) given {@code crcA} = CRC32C(A), {@code crcB} = CRC32C(B) and {@code lengthB} = |B| bytes.
     */
    static int combine(int crcA, int crcB, long lengthB) {
        if (lengthB <= 0) {
            return crcA;
        }
        long[] odd = new long[BITS]; // operator for one zero bit
        long[] even = new long[BITS];
        odd[0] = POLYNOMIAL;
        long row = 1;
        for (int n = 1; n < BITS; n++) {
            odd[n] = row;
            row <<= 1;
        }
        square(even, odd); // two zero bits
        square(odd, even); // four zero bits
        long crc = Integer.toUnsignedLong(crcA);
        long remaining = lengthB;
        // Apply lengthB zero bytes to crcA, squaring the operator for each bit of the length (8, 16, 32... zero bits).
        do {
            square(even, odd);
            if ((remaining & 1) != 0) {
                crc = times(even, crc);
            }
            remaining >>= 1;
            if (remaining == 0) {
                break;
            }
            square(odd, even);
            if ((remaining & 1) != 0) {
                crc = times(odd, crc);
            }
            remaining >>= 1;
        } while (remaining != 0);
        return (int) (crc ^ Integer.toUnsignedLong(crcB));
    }

    private static long times(long[] matrix, long vector) {
        long sum = 0;
        for (int i = 0; vector != 0; i++, vector >>>= 1) {
            if ((vector & 1) != 0) {
                sum ^= matrix[i];
            }
        }
        return sum;
    }

    private static void square(long[] result, long[] matrix) {
        for (int n = 0; n < BITS; n++) {
            result[n] = times(matrix, matrix[n]);
        }
    }
}
