package dev.fathom.schemas.format;

/**
 * A sealed segment breaks a rule of the format (page size, contiguous frame numbers, ends on a commit, ...).
 * The message names the frame_no or index and the rule; the input must be refused, retrying cannot help.
 */
public class InvalidSegmentException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidSegmentException(String message) {
        super(message);
    }
}
