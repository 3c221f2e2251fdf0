package dev.fathom.producer.agent;

/**
 * The 32-byte header of a SQLite WAL file (https://www.sqlite.org/fileformat.html, section 4.1), all fields read
 * big-endian. Immutable; thread-safe.
 *
 * @param magic {@link #MAGIC_LITTLE_ENDIAN} or {@link #MAGIC_BIG_ENDIAN}; bit 0 gives the checksum byte order
 * @param formatVersion {@link #FORMAT_VERSION}
 * @param pageSize database page size in bytes: a power of two in 512..65536
 * @param checkpointSeq checkpoint sequence number
 * @param salt1 salt-1: incremented by SQLite on every WAL restart
 * @param salt2 salt-2: a fresh random value on every WAL restart
 * @param checksum1 checksum-1 over the first 24 header bytes
 * @param checksum2 checksum-2 over the first 24 header bytes
 */
public record WalHeader(int magic, int formatVersion, int pageSize, int checkpointSeq, int salt1, int salt2,
                        int checksum1, int checksum2) {

    /** Header size in bytes. */
    public static final int SIZE = 32;
    /** Magic of a WAL whose checksums read 32-bit words little-endian. */
    public static final int MAGIC_LITTLE_ENDIAN = 0x377f0682;
    /** Magic of a WAL whose checksums read 32-bit words big-endian. */
    public static final int MAGIC_BIG_ENDIAN = 0x377f0683;
    /** The only WAL format version SQLite has defined. */
    public static final int FORMAT_VERSION = 3007000;

    /** Returns true when checksum words are big-endian (magic 0x377f0683), false when little-endian. */
    public boolean bigEndianChecksums() {
        return magic == MAGIC_BIG_ENDIAN;
    }

    /** Size in bytes of one frame: the 24-byte frame header plus a page. */
    public long frameSize() {
        return WalFrame.HEADER_SIZE + (long) pageSize;
    }
}
