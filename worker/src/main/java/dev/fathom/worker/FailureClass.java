package dev.fathom.worker;

/** What a job failure means for the worker; see {@link FailureClassifier}. */
enum FailureClass {
    /** Retrying later may succeed (S3 or the network is down, a timeout): back off and retry the job. */
    TRANSIENT,
    /** The input itself is bad; retrying the same bytes cannot help: dead-letter the segment. */
    POISON,
    /** The worker cannot do its job at all (bad credentials, missing bucket, JVM error): stop the worker. */
    FATAL
}
