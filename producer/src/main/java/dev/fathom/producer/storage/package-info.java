/**
 * S3 storage profiles and the clients built from them: a profile name selects bucket, key prefix, endpoint and
 * credentials from configuration, so events and API calls carry a name, never credentials. The worker writes
 * through these profiles and the node's read path reads through the same ones; S3 request retries live in the SDK
 * client built by {@link dev.fathom.producer.storage.S3Clients}, nowhere else.
 */
package dev.fathom.producer.storage;
