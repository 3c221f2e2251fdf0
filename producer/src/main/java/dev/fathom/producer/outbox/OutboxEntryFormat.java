package dev.fathom.producer.outbox;

import dev.fathom.schemas.Namespace;
import dev.fathom.schemas.format.CorruptSegmentException;
import dev.fathom.schemas.format.EncodedSegment;
import dev.fathom.schemas.format.Frame;
import dev.fathom.schemas.format.InvalidSegmentException;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.schemas.format.SegmentFrames;
import dev.fathom.schemas.format.SegmentId;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The outbox entry file, version 1 (docs/FORMATS.md, "Outbox entry"): a header naming the namespace, profile and
 * segment, the segment's frame records exactly as {@link SegmentFrames#encode} lays them out, and a CRC32C over
 * everything before it. Writing streams the frames (no second copy of a large segment); {@link #scan} verifies a
 * file without decoding its frames, {@link #readEncoded} verifies it and returns its frame records as they are (what
 * the publisher chunks), {@link #read} verifies and decodes. Stateless; thread-safe.
 */
public final class OutboxEntryFormat {

    /** {@code FTHMOBX\x01}. */
    static final byte[] MAGIC = {0x46, 0x54, 0x48, 0x4D, 0x4F, 0x42, 0x58, 0x01};
    static final int VERSION = 1;
    /** magic, version, reserved, page_size, start, end, sealed_at, sequence. */
    static final int FIXED_HEADER_SIZE = 48;
    static final int CRC_SIZE = 4;
    private static final int MAX_NAME_LENGTH = Namespace.MAX_LENGTH;
    private static final int MAX_HEADER_SIZE = FIXED_HEADER_SIZE + 2 + MAX_NAME_LENGTH + 2 + MAX_NAME_LENGTH + 8;
    private static final int MIN_FILE_SIZE = FIXED_HEADER_SIZE + 2 + 1 + 2 + 1 + 8 + CRC_SIZE;
    private static final int IO_BUFFER = 1024 * 1024;

    private OutboxEntryFormat() {
    }

    /** Returns the size in bytes of the entry file for this segment. */
    public static long fileSize(String namespace, String profile, SealedSegment segment) {
        return headerSize(namespace, profile) + segment.frameBytes() + CRC_SIZE;
    }

    private static int headerSize(String namespace, String profile) {
        return FIXED_HEADER_SIZE + 2 + ascii(namespace).length + 2 + ascii(profile).length + 8;
    }

    /**
     * Writes the entry from the channel's current position (normally an empty file) and returns its size. Does not
     * force the channel: the caller fsyncs.
     */
    public static long write(FileChannel out, long sequence, String namespace, String profile, SealedSegment segment)
            throws IOException {
        int recordSize = SegmentFrames.recordSize(segment.pageSize());
        long size = fileSize(namespace, profile, segment);
        int bufferSize = (int) Math.max(Math.min(IO_BUFFER, size), MAX_HEADER_SIZE + recordSize);
        ByteBuffer buffer = ByteBuffer.allocate(bufferSize);
        CRC32C crc = new CRC32C();
        byte[] ns = ascii(namespace);
        byte[] pr = ascii(profile);
        buffer.put(MAGIC).putShort((short) VERSION).putShort((short) 0).putInt(segment.pageSize())
                .putLong(segment.startFrameNo()).putLong(segment.endFrameNo()).putLong(segment.sealedAtMs())
                .putLong(sequence)
                .putShort((short) ns.length).put(ns).putShort((short) pr.length).put(pr)
                .putLong(segment.frameBytes());
        long written = 0;
        for (Frame frame : segment.frames()) {
            if (buffer.remaining() < recordSize) {
                written += flush(out, buffer, crc);
            }
            buffer.putInt(frame.pageNo()).putInt(frame.sizeAfter()).putLong(frame.frameNo()).put(frame.page());
        }
        written += flush(out, buffer, crc);
        buffer.putInt((int) crc.getValue());
        buffer.flip();
        written += buffer.remaining();
        writeFully(out, buffer);
        return written;
    }

    private static int flush(FileChannel out, ByteBuffer buffer, CRC32C crc) throws IOException {
        buffer.flip();
        int bytes = buffer.remaining();
        crc.update(buffer.duplicate());
        writeFully(out, buffer);
        buffer.clear();
        return bytes;
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    /**
     * Verifies an entry file (structure, sizes, CRC32C over every byte) without decoding its frames.
     *
     * @throws CorruptSegmentException naming the file and offset when any check fails
     * @throws IOException when the file cannot be read
     */
    public static OutboxEntry scan(Path file) throws IOException {
        long size = Files.size(file);
        requireMinimumSize(file, size);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = readFully(in, file, (int) Math.min(size, MAX_HEADER_SIZE));
            Header header = Header.parse(head.duplicate(), file, size);
            long crcEnd = size - CRC_SIZE;
            CRC32C crc = new CRC32C();
            crc.update(head.limit((int) Math.min(head.limit(), crcEnd)));
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(IO_BUFFER, size));
            for (long position = head.limit(); position < crcEnd; ) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), crcEnd - position));
                readFully(in, file, buffer);
                buffer.flip();
                position += buffer.remaining();
                crc.update(buffer);
            }
            in.position(crcEnd);
            checkCrc(file, crcEnd, (int) crc.getValue(), readFully(in, file, CRC_SIZE).getInt());
            return header.toEntry(file, size);
        }
    }

    /**
     * Reads, verifies and decodes an entry file.
     *
     * @throws CorruptSegmentException naming the file and offset when any check fails (also when the decoded
     *     frames break a segment rule or disagree with the header)
     * @throws IOException when the file cannot be read
     */
    public static Decoded read(Path file) throws IOException {
        return decode(readAll(file), file);
    }

    /**
     * Reads and verifies an entry file for publishing, without decoding its pages: header, sizes, CRC32C over every
     * byte, the segment rules on the frame record headers ({@link EncodedSegment#verify}) and that the frames form
     * the segment the header names. The returned frames are a view of the file's bytes, ready to be chunked.
     *
     * @throws CorruptSegmentException naming the file and offset when any check fails
     * @throws IOException when the file cannot be read
     */
    public static EncodedSegment readEncoded(Path file) throws IOException {
        byte[] bytes = readAll(file);
        Header header = verified(bytes, file);
        EncodedSegment segment;
        try {
            segment = EncodedSegment.verify(header.pageSize(), header.id().sealedAtMs(),
                    ByteBuffer.wrap(bytes, header.size(), (int) header.framesLength()));
        } catch (InvalidSegmentException e) {
            throw corrupt(file, header.size(), e.getMessage());
        }
        if (!segment.id().equals(header.id())) {
            throw corrupt(file, FIXED_HEADER_SIZE - 32, "header names segment " + header.id().format()
                    + " but the frames form " + segment.id().format());
        }
        return segment;
    }

    private static byte[] readAll(Path file) throws IOException {
        long size = Files.size(file);
        requireMinimumSize(file, size);
        if (size > Integer.MAX_VALUE - 16) {
            throw corrupt(file, 0, "entry of " + size + " bytes is larger than any segment this version writes");
        }
        return Files.readAllBytes(file);
    }

    /** Parses the header of an entry's bytes and checks their CRC32C. */
    private static Header verified(byte[] bytes, Path file) {
        requireMinimumSize(file, bytes.length);
        Header header = Header.parse(ByteBuffer.wrap(bytes), file, bytes.length);
        int crcEnd = bytes.length - CRC_SIZE;
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, crcEnd);
        checkCrc(file, crcEnd, (int) crc.getValue(), ByteBuffer.wrap(bytes, crcEnd, CRC_SIZE).getInt());
        return header;
    }

    /** Verifies and decodes an entry's bytes; {@code file} only names them in messages. */
    static Decoded decode(byte[] bytes, Path file) {
        Header header = verified(bytes, file);
        String where = "outbox entry " + file;
        try {
            List<Frame> frames = SegmentFrames.decode(ByteBuffer.wrap(bytes, header.size(),
                    (int) header.framesLength()), header.pageSize(), where);
            SealedSegment segment = SealedSegment.of(header.pageSize(), header.id().sealedAtMs(), frames);
            if (!segment.id().equals(header.id())) {
                throw corrupt(file, FIXED_HEADER_SIZE - 32, "header names segment " + header.id().format()
                        + " but the frames form " + segment.id().format());
            }
            return new Decoded(header.toEntry(file, bytes.length), segment);
        } catch (InvalidSegmentException e) {
            throw corrupt(file, header.size(), e.getMessage());
        }
    }

    /** An entry read back: what the outbox knows about it, and its segment. */
    public record Decoded(OutboxEntry entry, SealedSegment segment) {
    }

    private static void requireMinimumSize(Path file, long size) {
        if (size < MIN_FILE_SIZE) {
            throw corrupt(file, size, "truncated: " + size + " bytes, the smallest entry has " + MIN_FILE_SIZE);
        }
    }

    private static void checkCrc(Path file, long offset, int computed, int stored) {
        if (computed != stored) {
            throw corrupt(file, offset, String.format("CRC32C mismatch: stored 0x%08x, computed 0x%08x over [0, %d)",
                    stored, computed, offset));
        }
    }

    private static ByteBuffer readFully(FileChannel in, Path file, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        readFully(in, file, buffer);
        return buffer.flip();
    }

    private static void readFully(FileChannel in, Path file, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (in.read(buffer) < 0) {
                throw new EOFException("Outbox entry " + file + " ended early at byte " + in.position());
            }
        }
    }

    private static byte[] ascii(String name) {
        return name.getBytes(StandardCharsets.US_ASCII);
    }

    static CorruptSegmentException corrupt(Path file, long offset, String problem) {
        return new CorruptSegmentException("outbox entry " + file, offset, problem + ". The file was damaged after"
                + " it was written; move it out of outbox.dir to start without it (its segment is then lost unless"
                + " it is already durable)");
    }

    /** The header fields, parsed and checked against the file size. */
    private record Header(int pageSize, SegmentId id, long sequence, String namespace, String profile, int size,
            long framesLength) {

        static Header parse(ByteBuffer in, Path file, long fileSize) {
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw corrupt(file, 0, "bad magic " + hex(magic) + ", expected " + hex(MAGIC) + " (FTHMOBX\\x01)");
            }
            int version = Short.toUnsignedInt(in.getShort());
            if (version != VERSION) {
                throw corrupt(file, 8, "unsupported outbox entry format version: expected " + VERSION + ", actual "
                        + version);
            }
            int reserved = Short.toUnsignedInt(in.getShort());
            if (reserved != 0) {
                throw corrupt(file, 10, "reserved field is " + reserved + ", expected 0");
            }
            int pageSize = in.getInt();
            if (pageSize < 512 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
                throw corrupt(file, 12, "page size " + pageSize + " is not a power of two in 512..65536");
            }
            long start = in.getLong();
            long end = in.getLong();
            long sealedAt = in.getLong();
            SegmentId id;
            try {
                id = new SegmentId(start, end, sealedAt);
            } catch (IllegalArgumentException e) {
                throw corrupt(file, 16, e.getMessage());
            }
            long sequence = in.getLong();
            if (sequence < 1) {
                throw corrupt(file, 40, "sequence " + sequence + " is below 1");
            }
            String namespace = name(in, file, "namespace");
            String profile = name(in, file, "profile");
            int headerEnd = in.position() + 8;
            if (in.remaining() < 8) {
                throw corrupt(file, in.position(), "truncated header: the frames length field is missing");
            }
            long framesLength = in.getLong();
            long expectedFrames = (end - start + 1) * SegmentFrames.recordSize(pageSize);
            if (framesLength != expectedFrames) {
                throw corrupt(file, headerEnd - 8, "frames length " + framesLength + " does not match frames "
                        + start + ".." + end + " of " + pageSize + "-byte pages (" + expectedFrames + " bytes)");
            }
            long expectedSize = headerEnd + framesLength + CRC_SIZE;
            if (expectedSize != fileSize) {
                throw corrupt(file, Math.min(expectedSize, fileSize), "the header describes " + expectedSize
                        + " bytes but the entry has " + fileSize + (fileSize < expectedSize ? " (torn write)" : ""));
            }
            return new Header(pageSize, id, sequence, namespace, profile, headerEnd, framesLength);
        }

        private static String name(ByteBuffer in, Path file, String what) {
            int offset = in.position();
            int length = Short.toUnsignedInt(in.getShort());
            if (length < 1 || length > MAX_NAME_LENGTH || length > in.remaining()) {
                throw corrupt(file, offset, what + " length " + length + " is outside 1.." + MAX_NAME_LENGTH);
            }
            byte[] bytes = new byte[length];
            in.get(bytes);
            String name = new String(bytes, StandardCharsets.US_ASCII);
            if (!Namespace.isValid(name)) {
                throw corrupt(file, offset + 2, what + " '" + name.replaceAll("[^\\x20-\\x7e]", "?")
                        + "' is not 1-128 characters of A-Z a-z 0-9 . _ -");
            }
            return name;
        }

        OutboxEntry toEntry(Path file, long fileSize) {
            return new OutboxEntry(file, sequence, namespace, profile, id, pageSize, fileSize);
        }

        private static String hex(byte[] bytes) {
            StringBuilder out = new StringBuilder();
            for (byte b : bytes) {
                out.append(String.format("%02x", b));
            }
            return out.toString();
        }
    }
}
