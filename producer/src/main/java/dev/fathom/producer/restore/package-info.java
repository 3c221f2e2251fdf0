/**
 * The read path's first slice: rebuilds a SQLite database file of a namespace from the compacted segment objects in
 * object storage, as of the newest segment, a frame number or a time (segment-boundary granularity).
 * Invariants: a restore reads only a contiguous chain of segments from frame 1, verifies every checksum it reads,
 * and never leaves a partial file under the target name.
 */
package dev.fathom.producer.restore;
