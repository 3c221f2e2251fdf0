package dev.fathom.testkit;

import dev.fathom.devstack.LocalS3;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 API for a test class: {@code @RegisterExtension static final S3Server S3 = S3Server.filesystem();}
 * runs S3Proxy on a temp directory (deleted on close). {@link #stop()} and {@link #start()} simulate an outage:
 * the restart keeps the same port and objects. Also usable by hand via {@link #start()} / {@link #close()}.
 * Thread-safe (lifecycle methods are synchronized; the shared client is thread-safe).
 */
public final class S3Server implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    private static final String ACCESS_KEY = "fathom-test-access";
    private static final String SECRET_KEY = "fathom-test-secret";

    private final AtomicInteger buckets = new AtomicInteger();
    private Path dataDir;
    private LocalS3 s3;
    private int port;
    private S3Client client;

    private S3Server() {
    }

    /** An S3Proxy filesystem server on a new temp directory. */
    public static S3Server filesystem() {
        return new S3Server();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Starts the server (no-op when running); after {@link #stop()} it comes back on the same port and data. */
    public synchronized S3Server start() {
        if (s3 == null) {
            if (dataDir == null) {
                dataDir = TempDirectory.create("fathom-s3-");
            }
            s3 = LocalS3.start(dataDir, port, ACCESS_KEY, SECRET_KEY);
            port = s3.endpoint().getPort();
        }
        return this;
    }

    /** Stops serving (clients get connection errors) but keeps the data for a later {@link #start()}. */
    public synchronized void stop() {
        if (s3 != null) {
            s3.close();
            s3 = null;
        }
    }

    public synchronized URI endpoint() {
        return running().endpoint();
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    public String region() {
        return LocalS3.REGION;
    }

    /** The directory holding buckets (one sub-directory each) and objects. */
    public synchronized Path dataDir() {
        running();
        return dataDir;
    }

    /** A shared path-style client; closed by {@link #close()}. */
    public synchronized S3Client client() {
        if (client == null) {
            client = running().newClient();
        }
        return client;
    }

    /** Creates a bucket with a unique name and returns the name. */
    public String newBucket() {
        String name = "test-" + buckets.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
        client().createBucket(b -> b.bucket(name));
        return name;
    }

    /** Every key in {@code bucket} under {@code prefix} ("" for all), in S3 (lexicographic) order. */
    public List<String> listKeys(String bucket, String prefix) {
        return client().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).collect(Collectors.toList());
    }

    /** The bytes of {@code s3://bucket/key}; NoSuchKeyException when absent. */
    public byte[] get(String bucket, String key) {
        return client().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    /** Stops the server and deletes its data. */
    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
        stop();
        TempDirectory.deleteQuietly(dataDir);
        dataDir = null;
        port = 0;
    }

    private LocalS3 running() {
        if (s3 == null) {
            throw new IllegalStateException("S3Server is not running (register it with @RegisterExtension as a static "
                    + "field, or call start())");
        }
        return s3;
    }
}
