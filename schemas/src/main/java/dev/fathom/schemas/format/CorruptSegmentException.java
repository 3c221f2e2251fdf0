package dev.fathom.schemas.format;

/**
 * Stored or shipped segment bytes failed verification: truncated, wrong magic or version, checksum mismatch or
 * inconsistent structure. The message names where the bytes came from, the byte offset and expected vs actual;
 * the bytes must be refused (dead-lettered or reported), retrying the same bytes cannot help.
 */
public class CorruptSegmentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String where;
    private final long offset;

    /**
     * @param where where the bytes came from, e.g. {@code s3://bucket/key} or {@code namespace db1 segment <id>}
     * @param offset byte offset within those bytes where the problem was found
     * @param problem what is wrong, with expected and actual values
     */
    public CorruptSegmentException(String where, long offset, String problem) {
        super(where + ": " + problem + " (at byte offset " + offset + ")");
        this.where = where;
        this.offset = offset;
    }

    /** Returns where the corrupt bytes came from. */
    public String where() {
        return where;
    }

    /** Returns the byte offset at which the problem was found. */
    public long offset() {
        return offset;
    }
}
