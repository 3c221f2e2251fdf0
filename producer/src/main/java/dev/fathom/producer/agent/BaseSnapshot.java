package dev.fathom.producer.agent;

import dev.fathom.producer.SegmentBuilder;
import dev.fathom.schemas.format.SealedSegment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads every page of a SQLite main database file into one segment whose last frame commits the database's size, so
 * that a restore never depends on history that was never shipped. The caller must keep the file from changing while
 * it is read: every WAL frame checkpointed into it and a read transaction held, so no checkpoint can write to it.
 * Stateless; thread-safe.
 */
final class BaseSnapshot {

    private static final int HEADER_SIZE = 100;

    private BaseSnapshot() {
    }

    /** The page size and page count of a database file, read from its 100-byte header. */
    record Shape(int pageSize, int pageCount) {
    }

    /**
     * Returns the shape of {@code database}, or empty when the file is empty (no page was ever written).
     *
     * @throws IOException when the file cannot be read or its header is not a SQLite header
     */
    static Optional<Shape> shape(Path database) throws IOException {
        try (FileChannel in = FileChannel.open(database, StandardOpenOption.READ)) {
            long size = in.size();
            if (size == 0) {
                return Optional.empty();
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
            while (header.hasRemaining() && in.read(header, header.position()) > 0) {
                // positional reads advance the buffer only; loop until the header is complete or the file ends
            }
            if (header.position() < HEADER_SIZE || !"SQLite format 3\0".equals(new String(header.array(), 0, 16,
                    StandardCharsets.ISO_8859_1))) {
                throw new IOException("File " + database + " is not a SQLite 3 database (bad header)");
            }
            int rawPageSize = Short.toUnsignedInt(header.getShort(16));
            int pageSize = rawPageSize == 1 ? 65536 : rawPageSize;
            // The in-header size is valid only when the change counter equals version-valid-for (offsets 24, 92).
            int inHeader = header.getInt(28);
            boolean headerSizeValid = inHeader > 0 && header.getInt(24) == header.getInt(92);
            long pages = headerSizeValid ? inHeader : size / pageSize;
            return Optional.of(new Shape(pageSize, (int) pages));
        }
    }

    /**
     * Reads pages 1..{@code shape.pageCount()} of {@code database} into a segment starting at {@code startFrameNo};
     * its last frame commits {@code pageCount} pages.
     *
     * @throws IOException when a page cannot be read completely
     */
    static SealedSegment read(Path database, Shape shape, long startFrameNo, Instant sealedAt) throws IOException {
        SegmentBuilder builder = new SegmentBuilder(shape.pageSize(), startFrameNo);
        ByteBuffer page = ByteBuffer.allocate(shape.pageSize());
        try (FileChannel in = FileChannel.open(database, StandardOpenOption.READ)) {
            for (int pageNo = 1; pageNo <= shape.pageCount(); pageNo++) {
                page.clear();
                long offset = (long) (pageNo - 1) * shape.pageSize();
                while (page.hasRemaining()) {
                    if (in.read(page, offset + page.position()) < 0) {
                        throw new IOException("Database " + database + " ended inside page " + pageNo + " of "
                                + shape.pageCount() + " (at byte offset " + (offset + page.position()) + ")");
                    }
                }
                builder.addFrame(pageNo, pageNo == shape.pageCount() ? shape.pageCount() : 0, page.array());
            }
        }
        return builder.seal(sealedAt);
    }
}
