package dev.fathom.producer.restore;

/** A restore could not produce a complete, verified database file; the message names the namespace and the cause. */
public class RestoreException extends RuntimeException {

    /** Creates the exception with its message. */
    public RestoreException(String message) {
        super(message);
    }

    /** Creates the exception with its message and cause. */
    public RestoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
