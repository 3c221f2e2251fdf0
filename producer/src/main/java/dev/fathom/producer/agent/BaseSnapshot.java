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
 * Streams every page of a SQLite main database file into segments of at most {@code segment.max.bytes} whose last
 * frame commits the database's size, so that a restore never depends on history that was never shipped, and a
 * database larger than the agent's heap ships on first contact. The caller must keep the file from changing while
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

    /** Receives the segments of a snapshot in frame order, each as soon as it is sealed. */
    @FunctionalInterface
    interface Sink {
        /**
         * @param segment the next segment of the snapshot
         * @param last true for the snapshot's last segment, the only one whose end is a state of the database
         */
        void accept(SealedSegment segment, boolean last);
    }

    /** What a snapshot shipped: frames {@code startFrameNo..endFrameNo} in {@code segments} segments. */
    record Shipped(long startFrameNo, long endFrameNo, int segments) {
    }

    /**
     * Streams pages 1..{@code shape.pageCount()} of {@code database}, in page order, into consecutive segments of at
     * most {@code maxSegmentBytes} of pages each (at least one page), numbered from {@code startFrameNo}, and hands
     * each to {@code sink} as soon as it is sealed: only one segment's pages are in memory, however large the file.
     *
     * <p>Each segment ends on a commit whose size_after is its own last page number, the last one's the database's
     * page count; all share {@code sealedAt}. Why: a restore to the snapshot's end reads its segments newest first
     * and lowers its truncation limit to each one's size_after, which never hides a page of the snapshot (every
     * segment holds only pages up to its own size_after) but does hide every page of the history before the
     * snapshot, which the snapshot replaces. A restore that stops inside the snapshot yields only its first pages
     * (never pages of older history mixed in); one by time never stops inside it, as every part has the same
     * sealed_at.
     *
     * @throws IOException when a page cannot be read completely
     */
    static Shipped ship(Path database, Shape shape, long startFrameNo, long maxSegmentBytes, Instant sealedAt,
            Sink sink) throws IOException {
        long pagesPerSegment = Math.max(1, Math.min(Integer.MAX_VALUE, maxSegmentBytes / shape.pageSize()));
        SegmentBuilder builder = new SegmentBuilder(shape.pageSize(), startFrameNo);
        ByteBuffer page = ByteBuffer.allocate(shape.pageSize());
        int segments = 0;
        try (FileChannel in = FileChannel.open(database, StandardOpenOption.READ)) {
            for (int pageNo = 1; pageNo <= shape.pageCount(); pageNo++) {
                readPage(in, database, shape, pageNo, page);
                boolean last = pageNo == shape.pageCount();
                boolean full = builder.frameCount() + 1 >= pagesPerSegment;
                builder.addFrame(pageNo, last || full ? pageNo : 0, page.array());
                if (last || full) {
                    sink.accept(builder.seal(sealedAt), last);
                    segments++;
                }
            }
        }
        return new Shipped(startFrameNo, builder.nextFrameNo() - 1, segments);
    }

    private static void readPage(FileChannel in, Path database, Shape shape, int pageNo, ByteBuffer page)
            throws IOException {
        page.clear();
        long offset = (long) (pageNo - 1) * shape.pageSize();
        while (page.hasRemaining()) {
            if (in.read(page, offset + page.position()) < 0) {
                throw new IOException("Database " + database + " ended inside page " + pageNo + " of "
                        + shape.pageCount() + " (at byte offset " + (offset + page.position()) + ")");
            }
        }
    }
}
