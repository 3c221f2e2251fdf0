package dev.fathom.producer.agent;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A SQLite WAL file whose header is not a WAL header SQLite could have written: bad magic, unknown format version,
 * invalid page size or a header checksum that does not match. The message names the file and the byte offset.
 *
 * <p>A live WAL's header is rewritten in place when SQLite restarts the log, so a reader racing that write may see
 * a torn header once; callers that tail a live database retry on their next poll before treating it as corrupt.
 */
public class WalFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final Path file;
    private final long offset;

    public WalFormatException(Path file, long offset, String problem) {
        super(file + ": " + problem + " (at byte offset " + offset + ")");
        this.file = file;
        this.offset = offset;
    }

    /** The WAL file that was read. */
    public Path file() {
        return file;
    }

    /** The byte offset of the offending field. */
    public long offset() {
        return offset;
    }
}
