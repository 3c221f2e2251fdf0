package dev.fathom.producer.outbox;

/**
 * Thrown by {@link Outbox#append} when the entry does not fit under {@code outbox.max.bytes} (at once, or after the
 * given wait). Nothing was written. {@code FathomStorage} turns it into a {@code QueueFullException}.
 */
public class OutboxFullException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OutboxFullException(String message) {
        super(message);
    }

    public OutboxFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
