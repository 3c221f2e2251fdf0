package dev.fathom.worker;

import dev.fathom.producer.storage.S3Clients;
import dev.fathom.producer.storage.StorageProfile;
import dev.fathom.worker.meta.ReadinessReport;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;

/**
 * Tells whether each storage profile's bucket answers: one HeadBucket per profile with a short per-request timeout,
 * the outcome cached for {@link #CACHE_FOR} so frequent readiness probes neither hammer the store nor queue up behind
 * a slow one. Uses its own clients (built by {@link S3Clients}, the one client builder) so probes never wait for
 * connections that uploads hold. Thread-safe (probes are serialised); {@link Worker} owns it and closes it.
 */
final class BucketProbe implements AutoCloseable {

    /** A readiness probe every few seconds then costs at most one HeadBucket per profile per period. */
    static final Duration CACHE_FOR = Duration.ofSeconds(5);
    /** Bounds the SDK's retries too: a readiness answer must come within a probe's timeout. */
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final List<Target> targets;
    private final Clock clock;
    private List<ReadinessReport.Check> cached = List.of();
    private long cachedUntilMs = Long.MIN_VALUE;

    private BucketProbe(List<Target> targets, Clock clock) {
        this.targets = targets;
        this.clock = clock;
    }

    /** Builds one probe client per profile of {@code profiles}. */
    static BucketProbe create(StorageProfiles profiles, Clock clock) {
        List<Target> targets = new ArrayList<>();
        for (String name : profiles.names()) {
            StorageProfile profile = profiles.uploader(name).orElseThrow().profile();
            targets.add(new Target(profile, S3Clients.create(profile)));
        }
        return new BucketProbe(List.copyOf(targets), clock);
    }

    /** Returns one check per profile, named {@code storage.<profile>}, probed at most every {@link #CACHE_FOR}. */
    synchronized List<ReadinessReport.Check> check() {
        long now = clock.millis();
        if (now >= cachedUntilMs) {
            cached = targets.stream().map(BucketProbe::probe).toList();
            cachedUntilMs = clock.millis() + CACHE_FOR.toMillis();
        }
        return cached;
    }

    @Override
    public void close() {
        targets.forEach(t -> t.s3().close());
    }

    private static ReadinessReport.Check probe(Target target) {
        StorageProfile profile = target.profile();
        String name = "storage." + profile.name();
        String where = "bucket s3://" + profile.bucket() + " of storage profile '" + profile.name() + "' (endpoint "
                + profile.endpointOverride().map(URI::toString).orElse("AWS") + ")";
        try {
            target.s3().headBucket(HeadBucketRequest.builder().bucket(profile.bucket())
                    .overrideConfiguration(o -> o.apiCallTimeout(TIMEOUT)).build());
            return new ReadinessReport.Check(name, true, where + " answers");
        } catch (SdkException e) {
            return new ReadinessReport.Check(name, false, where + " " + problem(e));
        }
    }

    private static String problem(SdkException e) {
        if (e instanceof SdkServiceException service) {
            return switch (service.statusCode()) {
                case 404 -> "does not exist (HeadBucket answered 404)";
                case 401, 403 -> "refuses these credentials (HeadBucket answered " + service.statusCode() + ")";
                default -> "answered HeadBucket with HTTP " + service.statusCode();
            };
        }
        return "cannot be reached within " + TIMEOUT.toSeconds() + " s: " + e.getMessage();
    }

    private record Target(StorageProfile profile, S3Client s3) {
    }
}
