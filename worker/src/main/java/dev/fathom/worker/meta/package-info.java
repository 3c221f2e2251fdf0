/**
 * The meta service: a Kafka Streams application that materialises {@code fathom.meta} (durable frame per namespace)
 * and {@code fathom.catalog} (segments per namespace) into local stores, and answers queries about them over HTTP
 * on any worker, forwarding to the instance that owns the namespace's partition.
 * Invariants: a namespace's durable frame in the store never decreases (an older record arriving late is ignored),
 * and both stores of a namespace live in the same Streams task, so one owner answers every query about it.
 */
package dev.fathom.worker.meta;
