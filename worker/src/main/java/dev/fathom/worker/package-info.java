/**
 * The consumer-group worker: assembles segment chunks from {@code fathom.segments}, checks them against the
 * namespace's durable frame, compacts and uploads them to the storage profile's bucket, and commits the durable
 * frame, the catalog record and the consumer offsets in one Kafka transaction.
 * Invariants: a namespace's segments become durable strictly in frame order and never past a gap; offsets never pass
 * an unfinished segment; object keys depend only on the segment's data, so any redo rewrites the same bytes; one
 * namespace's refused input never blocks another namespace.
 */
package dev.fathom.worker;
