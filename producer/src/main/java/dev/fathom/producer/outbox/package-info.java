/**
 * The node's local outbox: sealed segments written to disk (fsynced) before {@code FathomStorage.store} returns, so
 * that a Kafka outage or a node crash loses nothing. {@link dev.fathom.producer.outbox.Outbox} owns the directory
 * (bounded by bytes, scanned and verified at start, one entry file per stored segment);
 * {@link dev.fathom.producer.outbox.OutboxEntryFormat} is the versioned, CRC32C-checked file format
 * (docs/FORMATS.md, "Outbox entry"). Publishing and durability stay in {@code dev.fathom.producer}: an entry is
 * published by the ordinary publisher and deleted once its end frame is durable.
 */
package dev.fathom.producer.outbox;
