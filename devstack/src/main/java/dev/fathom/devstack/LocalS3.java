package dev.fathom.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * A real S3-compatible endpoint in this JVM: S3Proxy with its filesystem backend, so buckets and objects are plain
 * directories and files under one directory and survive a restart on the same directory. Requests must be signed
 * (AWS v2 or v4) with the given keys. Thread-safe; the creator closes it.
 */
public final class LocalS3 implements AutoCloseable {

    /** The region clients should use; S3Proxy ignores it but the SDK signs with it. */
    public static final String REGION = "us-east-1";

    private static final Logger log = LoggerFactory.getLogger(LocalS3.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final S3Proxy proxy;
    private final Path dir;
    private final URI endpoint;
    private final String accessKey;
    private final String secretKey;

    private LocalS3(S3Proxy proxy, Path dir, String accessKey, String secretKey) {
        this.proxy = proxy;
        this.dir = dir;
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /**
     * Starts S3Proxy on {@code 127.0.0.1:port} (0 = any free port) storing objects under {@code dir} (created if
     * missing) and waits until it serves.
     *
     * @throws IllegalStateException when it does not start within 30 s
     */
    public static LocalS3 start(Path dir, int port, String accessKey, String secretKey) {
        Path base = dir.toAbsolutePath();
        try {
            Files.createDirectories(base);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the S3 data directory " + base, e);
        }
        Properties p = new Properties();
        p.setProperty("jclouds.filesystem.basedir", base.toString());
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(BlobStores.create("filesystem", p))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .build();
        long t0 = System.nanoTime();
        try {
            proxy.start();
            awaitStarted(proxy, base, port);
        } catch (Exception e) {
            stopQuietly(proxy);
            throw new IllegalStateException("S3Proxy on port " + port + " with data in " + base + " failed to start", e);
        }
        LocalS3 s3 = new LocalS3(proxy, base, accessKey, secretKey);
        log.info("S3 endpoint {} serving {} ready after {} ms", s3.endpoint, base, (System.nanoTime() - t0) / 1_000_000);
        return s3;
    }

    public URI endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    public Path dataDir() {
        return dir;
    }

    /** A new path-style SDK client for this endpoint ({@value #REGION}, static credentials); the caller closes it. */
    public S3Client newClient() {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .forcePathStyle(true)
                .build();
    }

    /** Creates {@code bucket} unless it exists. Idempotent. */
    public void createBucketIfMissing(String bucket) {
        try (S3Client client = newClient()) {
            client.createBucket(b -> b.bucket(bucket));
            log.info("Created bucket {} at {}", bucket, endpoint);
        } catch (BucketAlreadyOwnedByYouException | BucketAlreadyExistsException e) {
            log.debug("Bucket {} already exists at {}", bucket, endpoint);
        }
    }

    @Override
    public void close() {
        stopQuietly(proxy);
    }

    private static void awaitStarted(S3Proxy proxy, Path base, int port) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if ("FAILED".equals(proxy.getState()) || System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy (port " + port + ", data " + base + ") is in state "
                        + proxy.getState() + " instead of STARTED");
            }
            Thread.sleep(10);
        }
    }

    private static void stopQuietly(S3Proxy proxy) {
        try {
            proxy.stop();
        } catch (Exception e) {
            log.warn("Stopping S3Proxy failed: {}", e.toString());
        }
    }
}
