package dev.fathom.producer;

/**
 * Thrown by {@link FathomStorage#store} when the segment queue is full: at once with
 * {@code queue.full.behavior=fail}, or after {@code queue.block.timeout.ms} with {@code block}. The segment was
 * not stored; the caller still owns it and may retry.
 */
public class QueueFullException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public QueueFullException(String message) {
        super(message);
    }

    public QueueFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
