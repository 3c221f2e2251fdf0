package dev.fathom.producer.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the committed frames of a SQLite WAL file exactly as SQLite's own recovery would accept them
 * (https://www.sqlite.org/fileformat.html, section 4): a frame is valid only if its salts equal the header's and its
 * cumulative checksum, chained from the header's checksum through every earlier frame, matches; reading stops at the
 * first invalid, torn or missing frame, and only frames up to the last valid commit frame before it are returned.
 * Frames of a transaction still being written are therefore never returned, and a later read resumes from the
 * {@link WalPosition} after the last returned commit.
 *
 * <p>Reads the file without locks while SQLite may be appending to it: a frame caught mid-write fails its checksum
 * and ends the batch; a later read picks it up once complete. The caller must keep SQLite from checkpointing and
 * restarting the WAL past frames it has not read yet ({@link WalBatch#saltChanged()} reports a restart).
 * Stateless; thread-safe.
 */
public final class WalReader {

    private static final int MIN_PAGE_SIZE = 512;
    private static final int MAX_PAGE_SIZE = 65536;

    private WalReader() {
    }

    /**
     * Returns the header of {@code wal}, or empty when the file is missing or shorter than a header (no transaction
     * was written since the WAL was created or truncated).
     *
     * @throws WalFormatException on a bad magic, format version, page size or header checksum
     */
    public static Optional<WalHeader> readHeader(Path wal) throws IOException {
        try (FileChannel channel = FileChannel.open(wal, StandardOpenOption.READ)) {
            return readHeader(channel, wal);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Returns the position of the first frame of the WAL generation that {@code header} starts. */
    public static WalPosition start(WalHeader header) {
        return new WalPosition(header.salt1(), header.salt2(), 0, header.checksum1(), header.checksum2());
    }

    /**
     * Reads committed frames from {@code from}. When the WAL's salts differ from {@code from}'s, the WAL was
     * restarted: reading starts at frame 0 of the new generation and the batch says {@code saltChanged}.
     *
     * @param maxFrames soft bound on the frames returned: reading stops at the first commit frame once this many
     *     frames were read, but a transaction is never split, so one larger transaction is returned whole
     * @throws WalFormatException on a bad header (see {@link #readHeader(Path)})
     */
    public static WalBatch read(Path wal, WalPosition from, int maxFrames) throws IOException {
        if (maxFrames < 1) {
            throw new IllegalArgumentException("maxFrames must be >= 1, was " + maxFrames);
        }
        try (FileChannel channel = FileChannel.open(wal, StandardOpenOption.READ)) {
            Optional<WalHeader> header = readHeader(channel, wal);
            if (header.isEmpty()) {
                return new WalBatch(List.of(), from, false);
            }
            boolean saltChanged = !from.sameGeneration(header.get());
            WalPosition start = saltChanged ? start(header.get()) : from;
            return readFrames(channel, header.get(), start, maxFrames, saltChanged);
        } catch (NoSuchFileException e) {
            return new WalBatch(List.of(), from, false);
        }
    }

    private static WalBatch readFrames(FileChannel channel, WalHeader header, WalPosition from, int maxFrames,
                                       boolean saltChanged) throws IOException {
        int pageSize = header.pageSize();
        ByteBuffer frame = ByteBuffer.allocate(WalFrame.HEADER_SIZE + pageSize);
        WalChecksum checksum = new WalChecksum(header.bigEndianChecksums(), from.checksum1(), from.checksum2());
        List<WalFrame> committed = new ArrayList<>();
        List<WalFrame> pending = new ArrayList<>();
        WalPosition next = from;
        for (long index = from.nextIndex(); committed.size() < maxFrames; index++) {
            long offset = WalHeader.SIZE + index * header.frameSize();
            if (!readFully(channel, frame.clear(), offset) || !isValid(frame, header, checksum)) {
                break; // end of the valid log: torn, uncommitted garbage, an older generation, or end of file
            }
            byte[] page = new byte[pageSize];
            frame.get(WalFrame.HEADER_SIZE, page);
            WalFrame valid = new WalFrame(index, frame.getInt(0), frame.getInt(4), page);
            pending.add(valid);
            if (valid.isCommit()) {
                committed.addAll(pending);
                pending.clear();
                next = new WalPosition(header.salt1(), header.salt2(), index + 1, checksum.s0(), checksum.s1());
            }
        }
        return new WalBatch(committed, next, saltChanged);
    }

    /** Checks salts, page number and the cumulative checksum, advancing {@code checksum} over the frame. */
    private static boolean isValid(ByteBuffer frame, WalHeader header, WalChecksum checksum) {
        if (frame.getInt(8) != header.salt1() || frame.getInt(12) != header.salt2() || frame.getInt(0) == 0) {
            return false;
        }
        checksum.update(frame, 0, 8);
        checksum.update(frame, WalFrame.HEADER_SIZE, header.pageSize());
        return frame.getInt(16) == checksum.s0() && frame.getInt(20) == checksum.s1();
    }

    private static Optional<WalHeader> readHeader(FileChannel channel, Path wal) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(WalHeader.SIZE);
        if (!readFully(channel, bytes, 0)) {
            return Optional.empty();
        }
        int magic = bytes.getInt(0);
        if (magic != WalHeader.MAGIC_LITTLE_ENDIAN && magic != WalHeader.MAGIC_BIG_ENDIAN) {
            throw new WalFormatException(wal, 0, "not a SQLite WAL: bad magic: expected 0x377f0682 or 0x377f0683, "
                    + "actual 0x" + Integer.toHexString(magic));
        }
        if (bytes.getInt(4) != WalHeader.FORMAT_VERSION) {
            throw new WalFormatException(wal, 4, "unsupported WAL format version: expected "
                    + WalHeader.FORMAT_VERSION + ", actual " + bytes.getInt(4));
        }
        int pageSize = bytes.getInt(8);
        if (pageSize < MIN_PAGE_SIZE || pageSize > MAX_PAGE_SIZE || Integer.bitCount(pageSize) != 1) {
            throw new WalFormatException(wal, 8, "invalid WAL page size: expected a power of two in 512..65536, "
                    + "actual " + pageSize);
        }
        WalHeader header = new WalHeader(magic, bytes.getInt(4), pageSize, bytes.getInt(12), bytes.getInt(16),
                bytes.getInt(20), bytes.getInt(24), bytes.getInt(28));
        WalChecksum checksum = new WalChecksum(header.bigEndianChecksums(), 0, 0);
        checksum.update(bytes, 0, 24);
        if (checksum.s0() != header.checksum1() || checksum.s1() != header.checksum2()) {
            throw new WalFormatException(wal, 24, String.format("WAL header checksum mismatch: computed "
                    + "%08x %08x, stored %08x %08x", checksum.s0(), checksum.s1(), header.checksum1(),
                    header.checksum2()));
        }
        return Optional.of(header);
    }

    /** Fills {@code buffer} from {@code offset}; returns false when the file ends first. */
    private static boolean readFully(FileChannel channel, ByteBuffer buffer, long offset) throws IOException {
        long position = offset;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position);
            if (n < 0) {
                return false;
            }
            position += n;
        }
        return true;
    }
}
