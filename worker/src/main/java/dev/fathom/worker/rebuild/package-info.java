/**
 * Rebuilds the meta topic (one {@code DurableFrame} per namespace) and the catalog topic (one {@code SegmentInfo} per
 * segment) from a bucket listing alone, for disaster recovery when Kafka lost them (invariant 6: object storage is the
 * source of truth). The records are the ones a worker writes ({@code DurableRecords}); a namespace is published only
 * up to the end of its contiguous chain from frame 1, and never when its published durable frame is already as far,
 * so meta never goes backwards and a repeated rebuild changes nothing.
 */
package dev.fathom.worker.rebuild;
