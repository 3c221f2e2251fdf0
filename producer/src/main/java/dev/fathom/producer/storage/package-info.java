/**
 * S3 storage profiles and the clients built from them: a profile name selects bucket, key prefix, endpoint and
 * credentials from configuration, so events and API calls carry a name, never credentials. The worker writes
 * through these profiles and the node's read path reads through the same ones; S3 request retries live in the SDK
 * client built by {@link dev.fathom.producer.storage.S3Clients}, nowhere else. A profile also says how its objects
 * are protected at rest: server-side encryption headers on every PUT
 * ({@link dev.fathom.producer.storage.ServerSideEncryption}) and client-side AES-256-GCM
 * ({@link dev.fathom.producer.storage.ObjectCodec}, docs/FORMATS.md section 10), whose output is deterministic so
 * uploads stay idempotent.
 */
package dev.fathom.producer.storage;
