/**
 * The SQLite WAL agent: reads committed WAL frames of live databases and turns them into segments.
 * Invariants: only frames up to the last valid commit frame of a WAL generation are ever read (salts equal to the
 * WAL header's and the cumulative checksum matching, exactly as SQLite's own recovery decides), so every segment
 * made from them ends on a consistent database state.
 */
package dev.fathom.producer.agent;
