package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.fathom.producer.restore.SegmentReader;
import dev.fathom.producer.restore.StoredSegment;
import dev.fathom.producer.storage.EnvelopeKey;
import dev.fathom.producer.storage.ServerSideEncryption;
import dev.fathom.producer.storage.StorageProfile;
import dev.fathom.schemas.format.CompactedSegmentObjects;
import dev.fathom.schemas.format.CompactedSegmentWriter;
import dev.fathom.schemas.format.Frame;
import dev.fathom.schemas.format.SealedSegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The uploader's requests as they leave the SDK (captured by an interceptor): every PUT, data and index, carries the
 * profile's server-side encryption headers; an S3Proxy that validates SSE headers ({@link SseAcceptingS3}) accepts
 * them; a retried upload writes identical bytes; the
 * stored objects are the envelope and read back through the profile's codec.
 */
class SegmentUploaderEncryptionIT {

    private static final AtomicInteger BUCKETS = new AtomicInteger();

    @TempDir
    static Path dir;

    private static SseAcceptingS3 s3;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = SseAcceptingS3.start(dir);
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    /** Records the method, path and headers of every HTTP request the client sends. */
    private static final class Capture implements ExecutionInterceptor {
        final List<SdkHttpRequest> requests = new CopyOnWriteArrayList<>();

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            requests.add(context.httpRequest());
        }

        /** Object PUTs (CreateBucket is a PUT too). */
        List<SdkHttpRequest> puts() {
            return requests.stream().filter(r -> r.method().name().equals("PUT")
                    && r.encodedPath().contains("/segments/")).toList();
        }
    }

    private static StorageProfile profile(String bucket, ServerSideEncryption sse, EnvelopeKey key) {
        return new StorageProfile(StorageProfile.DEFAULT_NAME, bucket, "p", s3.endpoint(), "us-east-1", true,
                s3.accessKey(), new Password(s3.secretKey()), sse, key);
    }

    private static String newBucket(S3Client client) {
        String bucket = "sse-" + BUCKETS.incrementAndGet();
        client.createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    private static byte[] get(S3Client client, String bucket, String key) {
        return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    private static SealedSegment segment() {
        Random random = new Random(9);
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            byte[] page = new byte[4096];
            random.nextBytes(page);
            frames.add(new Frame(i + 1, i == 9 ? 10 : 0, i + 1, page));
        }
        return SealedSegment.of(4096, 1_764_000_000_000L, frames);
    }

    @Test
    void shouldSendServerSideEncryptionHeadersOnEveryPut() {
        byte[] raw = new byte[32];
        new Random(1).nextBytes(raw);
        EnvelopeKey key = EnvelopeKey.parse("k1", Base64.getEncoder().encodeToString(raw), "test");
        SealedSegment segment = segment();
        CompactedSegmentObjects objects = CompactedSegmentWriter.write(segment);
        Map<ServerSideEncryption, Map<String, String>> cases = Map.of(
                new ServerSideEncryption(ServerSideEncryption.Mode.AES256, ""),
                Map.of("x-amz-server-side-encryption", "AES256"),
                new ServerSideEncryption(ServerSideEncryption.Mode.AWS_KMS, "alias/fathom-test"),
                Map.of("x-amz-server-side-encryption", "aws:kms",
                        "x-amz-server-side-encryption-aws-kms-key-id", "alias/fathom-test"));
        for (Map.Entry<ServerSideEncryption, Map<String, String>> c : cases.entrySet()) {
            Capture capture = new Capture();
            try (S3Client client = s3.client(capture)) {
                String bucket = newBucket(client);
                SegmentUploader uploader = new SegmentUploader(profile(bucket, c.getKey(), key), client);
                UploadedSegment first = uploader.upload("ns", segment.id(), objects);
                byte[] stored = get(client, bucket, first.dataKey());
                uploader.upload("ns", segment.id(), objects); // a retry
                assertArrayEquals(stored, get(client, bucket, first.dataKey()),
                        "a retried upload writes the same bytes");
                assertEquals(objects.data().length, first.dataSize(), "the catalog records the plaintext size");

                List<SdkHttpRequest> puts = capture.puts();
                assertEquals(4, puts.size(), "data + index, twice");
                for (SdkHttpRequest put : puts) {
                    c.getValue().forEach((header, value) -> assertEquals(List.of(value),
                            put.headers().get(header), put.encodedPath() + " " + header));
                }
                StoredSegment stored1 = new StoredSegment(segment.id(), first.dataKey(), first.indexKey(),
                        stored.length);
                SegmentReader reader = new SegmentReader(client, bucket, profile(bucket, c.getKey(), key).codec(), 0);
                assertEquals(segment.id(), reader.fetchIndex(stored1).id());
                assertArrayEquals(segment.frames().get(4).page(), reader.readPage(stored1, 5).orElseThrow());
                assertFalse(Arrays.equals(objects.data(), stored), "stored bytes are not the plaintext");
            }
        }
    }

    @Test
    void shouldSendNoEncryptionHeaderWithoutSse() {
        Capture capture = new Capture();
        SealedSegment segment = segment();
        try (S3Client client = s3.client(capture)) {
            String bucket = newBucket(client);
            UploadedSegment uploaded = new SegmentUploader(profile(bucket, ServerSideEncryption.NONE, null), client)
                    .upload("ns", segment.id(), CompactedSegmentWriter.write(segment));
            assertArrayEquals(CompactedSegmentWriter.write(segment).data(), get(client, bucket, uploaded.dataKey()),
                    "without a key the object is the plaintext format");
        }
        capture.puts().forEach(put -> assertFalse(put.headers().containsKey("x-amz-server-side-encryption")));
        assertEquals(2, capture.puts().size());
    }
}
