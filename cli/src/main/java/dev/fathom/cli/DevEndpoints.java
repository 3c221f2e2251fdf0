package dev.fathom.cli;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where a running dev stack answers. Immutable.
 *
 * @param dataDir          absolute data directory
 * @param bootstrapServers Kafka bootstrap.servers for FathomStorage and any Kafka client
 * @param s3Endpoint       S3 endpoint (path-style requests, region {@code us-east-1})
 * @param bucket           bucket of the storage profile {@link #profile}
 * @param accessKey        S3 access key id
 * @param secretKey        S3 secret key (a fixed development secret)
 * @param profile          the storage profile name nodes pass to {@code store(...)}
 * @param httpApi          base URL of the worker's HTTP query API
 */
public record DevEndpoints(Path dataDir, String bootstrapServers, URI s3Endpoint, String bucket, String accessKey,
                           String secretKey, String profile, URI httpApi) {
}
