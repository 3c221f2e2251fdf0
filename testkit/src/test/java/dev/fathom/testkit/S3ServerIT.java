package dev.fathom.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

class S3ServerIT {

    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    @Test
    void shouldServeUniqueBucketsAndSurviveAnOutage() {
        String bucket = S3.newBucket();
        assertNotEquals(bucket, S3.newBucket());
        byte[] data = "page bytes".getBytes(StandardCharsets.UTF_8);
        S3.client().putObject(b -> b.bucket(bucket).key("p/ns/segments/1.seg"), RequestBody.fromBytes(data));
        S3.client().putObject(b -> b.bucket(bucket).key("p/ns/segments/1.idx"), RequestBody.fromBytes(data));
        S3.client().putObject(b -> b.bucket(bucket).key("q/other"), RequestBody.fromBytes(data));
        assertEquals(List.of("p/ns/segments/1.idx", "p/ns/segments/1.seg"), S3.listKeys(bucket, "p/"));
        assertArrayEquals(data, S3.get(bucket, "p/ns/segments/1.seg"));
        assertThrows(NoSuchKeyException.class, () -> S3.get(bucket, "p/missing"));
        assertEquals("us-east-1", S3.region());

        int port = S3.endpoint().getPort();
        S3.stop();
        try (S3Client client = S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3.accessKey(), S3.secretKey())))
                .overrideConfiguration(c -> c.retryStrategy(DefaultRetryStrategy.doNotRetry())).build()) {
            assertThrows(SdkClientException.class, client::listBuckets, "stopped server refuses connections");
        }
        S3.start();
        assertEquals(port, S3.endpoint().getPort());
        assertArrayEquals(data, S3.get(bucket, "p/ns/segments/1.idx"));
    }
}
