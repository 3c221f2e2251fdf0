/**
 * The node-side library: {@link dev.fathom.producer.FathomStorage} accepts sealed segments, publishes each one as
 * chunks inside one Kafka transaction to the segments topic, and reports durability from the meta topic.
 * Invariants: a segment accepted by {@code store} is published or reported failed to its callback, never dropped;
 * a namespace's segments are published in {@code store} order; the durable frame number seen here never goes back;
 * each callback runs exactly once, in end-frame order per namespace.
 */
package dev.fathom.producer;
