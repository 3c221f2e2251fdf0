package dev.fathom.schemas;

/**
 * Thrown when a string is not a valid namespace name; the message quotes the (escaped) input and the rule it broke.
 * Immutable and therefore thread-safe.
 */
public final class InvalidNamespaceException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that already names the input and the broken rule. */
    public InvalidNamespaceException(String message) {
        super(message);
    }
}
