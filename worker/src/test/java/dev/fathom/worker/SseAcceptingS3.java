package dev.fathom.worker;

import dev.fathom.testkit.Await;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3Proxy filesystem server that accepts server-side encryption headers. Plain S3Proxy answers any
 * {@code x-amz-server-side-encryption} header with 501 because its filesystem store cannot encrypt; this one
 * declares SSE support, so S3Proxy validates the headers as S3 does (AES256 or aws:kms, a KMS key only with aws:kms)
 * and stores the bytes unencrypted. Test-only; closes the server on {@link #close}.
 */
final class SseAcceptingS3 implements AutoCloseable {

    private static final String ACCESS = "sse-test-access";
    private static final String SECRET = "sse-test-secret";

    private final S3Proxy proxy;
    private final URI endpoint;

    private SseAcceptingS3(S3Proxy proxy) {
        this.proxy = proxy;
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    static SseAcceptingS3 start(Path dir) throws Exception {
        Properties p = new Properties();
        p.setProperty("jclouds.filesystem.basedir", dir.toAbsolutePath().toString());
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new ForwardingBlobStore(BlobStores.create("filesystem", p)) {
                    @Override
                    public boolean supportsServerSideEncryption() {
                        return true;
                    }
                })
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
                .build();
        proxy.start();
        Await.until(Duration.ofSeconds(30), () -> "STARTED".equals(proxy.getState()), "S3Proxy to start");
        return new SseAcceptingS3(proxy);
    }

    URI endpoint() {
        return endpoint;
    }

    String accessKey() {
        return ACCESS;
    }

    String secretKey() {
        return SECRET;
    }

    /** A path-style client of this server that runs {@code interceptor} on every request. */
    S3Client client(ExecutionInterceptor interceptor) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
                .overrideConfiguration(o -> o.addExecutionInterceptor(interceptor)).build();
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
