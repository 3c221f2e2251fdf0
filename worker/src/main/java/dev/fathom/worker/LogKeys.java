package dev.fathom.worker;

/**
 * The fixed MDC keys of the worker's logs, set while a job runs so every line names what it is about. Constants only.
 */
final class LogKeys {

    /** The namespace (database) a job works on. */
    static final String NAMESPACE = "namespace";
    /** The segment id ({@code <start>-<end>-<sealed_at>}). */
    static final String SEGMENT = "segment";
    /** The segments-topic partition the segment came from. */
    static final String PARTITION = "partition";

    private LogKeys() {
    }
}
