package dev.fathom.worker;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The worker's storage profiles by name, each with one S3 client built once (SDK standard retry strategy: request
 * retries with jitter live in the SDK, never in the worker) and its {@link SegmentUploader}. Thread-safe after
 * construction; {@link Worker} owns it and closes it, which closes the clients.
 */
final class StorageProfiles implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StorageProfiles.class);

    private final Map<String, SegmentUploader> uploaders;
    private final List<S3Client> clients;

    private StorageProfiles(Map<String, SegmentUploader> uploaders, List<S3Client> clients) {
        this.uploaders = uploaders;
        this.clients = clients;
    }

    /** Builds one client per profile. */
    static StorageProfiles create(List<StorageProfile> profiles) {
        Map<String, SegmentUploader> uploaders = new LinkedHashMap<>();
        List<S3Client> clients = new ArrayList<>();
        for (StorageProfile profile : profiles) {
            S3Client client = client(profile);
            clients.add(client);
            uploaders.put(profile.name(), new SegmentUploader(profile, client));
            log.info("Storage profile {} writes to bucket {} (prefix '{}', endpoint {}, {} credentials)",
                    profile.name(), profile.bucket(), profile.prefix(),
                    profile.endpointOverride().map(URI::toString).orElse("AWS"),
                    profile.usesDefaultCredentials() ? "default provider chain" : "static");
        }
        return new StorageProfiles(Map.copyOf(uploaders), List.copyOf(clients));
    }

    /** Returns the uploader of profile {@code name}, or empty when this worker has no such profile. */
    Optional<SegmentUploader> uploader(String name) {
        return Optional.ofNullable(uploaders.get(name));
    }

    /** Returns the configured profile names. */
    Set<String> names() {
        return uploaders.keySet();
    }

    @Override
    public void close() {
        clients.forEach(S3Client::close);
    }

    private static S3Client client(StorageProfile profile) {
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
