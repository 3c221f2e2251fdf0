package dev.fathom.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.cli.FathomCliTest.Run;
import dev.fathom.producer.storage.EnvelopeKey;
import dev.fathom.producer.storage.ObjectCodec;
import dev.fathom.schemas.Topics;
import dev.fathom.schemas.format.CompactedSegmentObjects;
import dev.fathom.schemas.format.CompactedSegmentWriter;
import dev.fathom.schemas.format.Frame;
import dev.fathom.schemas.format.ObjectKeys;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.S3Server;
import dev.fathom.testkit.TestSegments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The bucket-reading commands on client-side encrypted objects (docs/FORMATS.md section 10): with the key,
 * {@code verify}, {@code restore} and {@code rebuild-meta} read them; without it or with another key they fail
 * naming the object and the key setting; a flipped ciphertext byte fails verify and restore naming the object.
 */
class EncryptedBucketCommandsIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.singleNode();
    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final String NS = "secret-db";
    private static final String PREFIX = "enc";
    private static final int PAGE_SIZE = 4096;
    private static final String KEY = key(11);
    private static final String KEY_ID = "ops-2026";

    @TempDir
    Path tmp;

    private static String key(int seed) {
        byte[] raw = new byte[32];
        new Random(seed).nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    @Test
    @Timeout(120)
    void shouldReadEncryptedObjectsWithTheKeyAndNameTheObjectOtherwise() throws Exception {
        String bucket = S3.newBucket();
        ObjectCodec codec = ObjectCodec.encrypting(EnvelopeKey.parse(KEY_ID, KEY, "test"));
        List<SealedSegment> chain = TestSegments.chain(4, 1, 12, PAGE_SIZE, 6,
                Instant.parse("2026-02-01T00:00:00Z").toEpochMilli(), new Random(3));
        List<String> dataKeys = new ArrayList<>();
        for (SealedSegment segment : chain) {
            CompactedSegmentObjects objects = CompactedSegmentWriter.write(segment);
            String dataKey = ObjectKeys.dataKey(PREFIX, NS, segment.id());
            String indexKey = ObjectKeys.indexKey(PREFIX, NS, segment.id());
            put(bucket, dataKey, codec.encode(dataKey, objects.data()));
            put(bucket, indexKey, codec.encode(indexKey, objects.index()));
            dataKeys.add(dataKey);
        }

        Run run = fathom(bucket, true, "verify", NS);
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(chain.size(), run.out().lines().filter(l -> l.startsWith("OK")).count(), run::toString);
        Path restored = tmp.resolve("restored.db");
        run = fathom(bucket, true, "restore", "--namespace", NS, "-o", restored.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertArrayEquals(expectedDatabase(chain), Files.readAllBytes(restored));

        run = fathom(bucket, false, "verify", NS);
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains("s3://" + bucket + "/") && run.err().contains("--encryption-key"),
                run::toString);
        run = fathom(bucket, false, "restore", "--namespace", NS, "-o", tmp.resolve("nokey.db").toString());
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains("encryption.key"), run::toString);
        List<String> wrongKey = List.of("--encryption-key", key(12), "--encryption-key-id", KEY_ID);
        run = fathom(bucket, false, concat(wrongKey, "restore", "--namespace", NS, "-o",
                tmp.resolve("wrong.db").toString()));
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains("wrong encryption key") && run.err().contains(".idx"), run::toString);
        assertFalse(Files.exists(tmp.resolve("wrong.db")));

        Topics topics = new Topics("enc.segments", "enc.meta", "enc.catalog", "enc.dlq");
        run = fathom(bucket, true, "rebuild-meta", "--bootstrap-servers", KAFKA.bootstrapServers(), "--partitions",
                "2", "--segments-topic", topics.segments(), "--meta-topic", topics.meta(), "--catalog-topic",
                topics.catalog(), "--dlq-topic", topics.deadLetters(), "--transactional-id", "enc-rebuild");
        assertEquals(0, run.exitCode(), run::toString);
        String line = run.out().lines().filter(l -> l.trim().startsWith(NS + " ")).findFirst().orElseThrow();
        assertTrue(line.contains("-> " + chain.get(chain.size() - 1).endFrameNo()), line);

        String newest = dataKeys.get(dataKeys.size() - 1);
        byte[] data = S3.get(bucket, newest);
        data[64 + 12 + 7] ^= 0x01;
        put(bucket, newest, data);
        run = fathom(bucket, true, "verify", NS);
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains("s3://" + bucket + "/" + newest) && run.err().contains("authentication"),
                run::toString);
        run = fathom(bucket, true, "restore", "--namespace", NS, "-o", tmp.resolve("flipped.db").toString());
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains(newest), run::toString);
        assertFalse(Files.exists(tmp.resolve("flipped.db")));
    }

    private static void put(String bucket, String key, byte[] bytes) {
        S3.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
    }

    private static String[] concat(List<String> first, String... rest) {
        List<String> all = new ArrayList<>(List.of(rest));
        all.addAll(first);
        return all.toArray(String[]::new);
    }

    private static byte[] expectedDatabase(List<SealedSegment> chain) {
        Map<Integer, byte[]> pages = new HashMap<>();
        int size = 0;
        for (SealedSegment segment : chain) {
            for (Frame frame : segment.frames()) {
                pages.put(frame.pageNo(), frame.page());
                if (frame.isCommit()) {
                    size = frame.sizeAfter();
                    final int limit = size;
                    pages.keySet().removeIf(p -> p > limit);
                }
            }
        }
        byte[] db = new byte[size * PAGE_SIZE];
        for (int p = 1; p <= size; p++) {
            System.arraycopy(pages.get(p), 0, db, (p - 1) * PAGE_SIZE, PAGE_SIZE);
        }
        return db;
    }

    private static Run fathom(String bucket, boolean withKey, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--s3-endpoint", S3.endpoint().toString(), "--bucket", bucket, "--prefix", PREFIX,
                "--region", S3.region(), "--path-style", "--access-key", S3.accessKey(),
                "--secret-key", S3.secretKey()));
        if (withKey) {
            all.addAll(List.of("--encryption-key", KEY, "--encryption-key-id", KEY_ID));
        }
        return FathomCliTest.fathom(all.toArray(String[]::new));
    }
}
