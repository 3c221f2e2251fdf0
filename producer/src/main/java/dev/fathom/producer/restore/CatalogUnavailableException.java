package dev.fathom.producer.restore;

/**
 * A segment catalog could not be asked: its service did not answer, timed out or failed (HTTP 5xx). Another catalog
 * (the bucket listing) may still answer, which is what {@link FallbackSegmentCatalog} does.
 */
public class CatalogUnavailableException extends RestoreException {

    private final String source;

    /** Creates the exception naming {@code source} (e.g. the URL asked) and what went wrong. */
    public CatalogUnavailableException(String source, String message, Throwable cause) {
        super(message, cause);
        this.source = source;
    }

    /** Returns what could not be asked, e.g. {@code http://worker-1:8080/v1/namespaces/db/segments}. */
    public String source() {
        return source;
    }
}
