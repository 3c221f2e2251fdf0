/**
 * Real local services for development and tests: {@link dev.fathom.devstack.LocalKafka} (a KRaft cluster started
 * from the {@code kafka_2.13} jar, in this JVM or as forked processes) and {@link dev.fathom.devstack.LocalS3}
 * (S3Proxy on a filesystem directory). Invariant: a data directory, once formatted, keeps its cluster id and its
 * ports, so a restart on the same directory serves the same data at the same addresses.
 */
package dev.fathom.devstack;
