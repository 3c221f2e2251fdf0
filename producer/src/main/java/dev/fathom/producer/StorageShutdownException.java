package dev.fathom.producer;

/**
 * Tells a {@link DurabilityCallback} that its segment was not confirmed durable because {@link FathomStorage}
 * shut down first (forced, or graceful with its timeout exceeded). The segment may still become durable later if
 * it was published; re-storing it after a restart is safe, since workers acknowledge replays without work.
 */
public class StorageShutdownException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StorageShutdownException(String message) {
        super(message);
    }
}
