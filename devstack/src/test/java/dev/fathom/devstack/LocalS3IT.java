package dev.fathom.devstack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

class LocalS3IT {

    @TempDir
    Path dir;

    @Test
    void shouldStoreListAndReadObjectsAndKeepThemAcrossRestart() {
        byte[] data = "segment bytes".getBytes(StandardCharsets.UTF_8);
        try (LocalS3 s3 = start(); S3Client client = s3.newClient()) {
            s3.createBucketIfMissing("fathom");
            s3.createBucketIfMissing("fathom");
            client.putObject(b -> b.bucket("fathom").key("db/ns-1/segments/a.seg"), RequestBody.fromBytes(data));
            client.putObject(b -> b.bucket("fathom").key("db/ns-2/segments/b.seg"), RequestBody.fromBytes(data));
            assertEquals(List.of("db/ns-1/segments/a.seg"), keys(client, "db/ns-1/"));
            assertArrayEquals(data, get(client, "db/ns-1/segments/a.seg"));
        }
        try (LocalS3 s3 = start(); S3Client client = s3.newClient()) {
            assertEquals(List.of("db/ns-1/segments/a.seg", "db/ns-2/segments/b.seg"), keys(client, "db/"));
            assertArrayEquals(data, get(client, "db/ns-2/segments/b.seg"));
        }
    }

    private LocalS3 start() {
        long t0 = System.nanoTime();
        LocalS3 s3 = LocalS3.start(dir, 0, "access", "secret");
        System.err.printf("S3Proxy ready at %s in %d ms%n", s3.endpoint(), (System.nanoTime() - t0) / 1_000_000);
        return s3;
    }

    private static List<String> keys(S3Client client, String prefix) {
        return client.listObjectsV2(b -> b.bucket("fathom").prefix(prefix)).contents().stream().map(S3Object::key)
                .toList();
    }

    private static byte[] get(S3Client client, String key) {
        return client.getObjectAsBytes(b -> b.bucket("fathom").key(key)).asByteArray();
    }
}
