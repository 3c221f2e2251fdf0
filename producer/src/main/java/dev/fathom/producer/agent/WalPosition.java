package dev.fathom.producer.agent;

/**
 * Where to resume reading a WAL: the generation (its salts), the index of the next frame, and the running checksums
 * after frame {@code nextIndex - 1} (the header's checksums when {@code nextIndex} is 0), which the next frame's
 * cumulative checksum continues from. Small enough to persist as agent state. Immutable; thread-safe.
 *
 * @param salt1 salt-1 of the WAL generation
 * @param salt2 salt-2 of the WAL generation
 * @param nextIndex 0-based index of the next frame to read
 * @param checksum1 running checksum-1 after the previous frame
 * @param checksum2 running checksum-2 after the previous frame
 */
public record WalPosition(int salt1, int salt2, long nextIndex, int checksum1, int checksum2) {

    public WalPosition {
        if (nextIndex < 0) {
            throw new IllegalArgumentException("nextIndex must be >= 0, was " + nextIndex);
        }
    }

    /** Returns true when {@code header} belongs to the same WAL generation as this position (same salts). */
    public boolean sameGeneration(WalHeader header) {
        return header.salt1() == salt1 && header.salt2() == salt2;
    }
}
