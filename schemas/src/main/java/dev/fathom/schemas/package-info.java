/**
 * The wire contract shared by nodes and workers: generated Avro records and their single-object serdes, topic names
 * and settings, namespace validation, and the key and partition rules that place a namespace's segments, durable
 * frame and catalog entries in the same partition number. Everything here is immutable or stateless and thread-safe;
 * a change to a record schema must keep the committed golden bytes (src/test/resources/compat) readable.
 */
package dev.fathom.schemas;
