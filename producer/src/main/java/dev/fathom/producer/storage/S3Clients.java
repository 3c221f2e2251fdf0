package dev.fathom.producer.storage;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The one place an S3 client is built from a {@link StorageProfile}: the SDK standard retry strategy (request retries
 * with jitter live in the SDK, never in Fathom's code), the endpoint override and addressing style of S3-compatible
 * stores, and static or default-chain credentials. Stateless and thread-safe; the caller owns and closes each client.
 */
public final class S3Clients {

    private S3Clients() {
    }

    /** Builds a new client for {@code profile}; the caller closes it. */
    public static S3Client create(StorageProfile profile) {
        S3ClientBuilder builder = S3Client.builder()
                .forcePathStyle(profile.pathStyle())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy()));
        profile.endpointOverride().ifPresent(builder::endpointOverride);
        if (!profile.region().isBlank()) {
            builder.region(Region.of(profile.region()));
        } else if (profile.endpointOverride().isPresent()) {
            builder.region(Region.US_EAST_1); // S3-compatible stores ignore the region but the signer needs one
        }
        if (profile.usesDefaultCredentials()) {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        } else {
            builder.credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(profile.accessKey(), profile.secretKey().value())));
        }
        return builder.build();
    }
}
