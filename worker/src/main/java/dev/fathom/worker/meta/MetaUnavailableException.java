package dev.fathom.worker.meta;

/**
 * Thrown when no worker can answer a meta query right now: the meta service is rebalancing or restoring and no owner
 * answered within the query timeout, or the service is not running. The HTTP API maps it to 503.
 */
public final class MetaUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MetaUnavailableException(String message) {
        super(message);
    }

    public MetaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
