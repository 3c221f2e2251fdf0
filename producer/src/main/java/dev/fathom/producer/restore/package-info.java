/**
 * The read path: learns a namespace's segments from the workers' meta API or, when that is unset or unavailable,
 * from a bucket listing (object storage is the source of truth); rebuilds a SQLite database file as of the newest
 * segment, a frame number or a time (segment-boundary granularity); reads single pages with ranged GETs.
 * {@link dev.fathom.producer.restore.FathomReader} is its entry point and needs no Kafka.
 * Invariants: a restore or page read uses only a contiguous chain of segments from frame 1 and never a page version
 * from before a truncation below it, verifies every checksum it reads, and a restore never leaves a partial file
 * under the target name.
 */
package dev.fathom.producer.restore;
