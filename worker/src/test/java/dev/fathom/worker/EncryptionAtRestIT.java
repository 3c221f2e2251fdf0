package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.producer.FathomStorage;
import dev.fathom.producer.FathomStorageConfig;
import dev.fathom.producer.restore.FathomReader;
import dev.fathom.producer.restore.ReadSettings;
import dev.fathom.producer.restore.RestoreException;
import dev.fathom.producer.restore.RestoreTarget;
import dev.fathom.producer.restore.StoredSegment;
import dev.fathom.producer.storage.EnvelopeKey;
import dev.fathom.producer.storage.StorageProfile;
import dev.fathom.schemas.Topics;
import dev.fathom.schemas.format.Frame;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.S3Server;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Encryption at rest end to end: a worker whose storage profile has a client-side encryption key stores
 * only ciphertext in the bucket; the node's read path with the same key restores a database equal to the source and
 * reads single pages; a wrong or missing key and a flipped ciphertext byte fail with errors naming the object.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class EncryptionAtRestIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.singleNode();
    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String NS = "encrypted-db";
    private static final String PROFILE = StorageProfile.DEFAULT_NAME;
    private static final int PAGE = 4096;
    private static final String MARKER = "FATHOM-PLAINTEXT-MARKER";
    private static final long SEALED_AT_MS = 1_764_000_000_000L;

    @TempDir
    Path dir;

    private final Random random = new Random(5);

    private static String key(int seed) {
        byte[] key = new byte[32];
        new Random(seed).nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** Pages of random bytes, each starting with a marker a plaintext leak in the bucket would show. */
    private SealedSegment segment(long start, int index, int sizeAfter, int... pageNos) {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < pageNos.length; i++) {
            byte[] page = new byte[PAGE];
            random.nextBytes(page);
            byte[] marker = (MARKER + "-" + pageNos[i] + "-" + (start + i)).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(marker, 0, page, 0, marker.length);
            frames.add(new Frame(pageNos[i], i == pageNos.length - 1 ? sizeAfter : 0, start + i, page));
        }
        return SealedSegment.of(PAGE, SEALED_AT_MS + index * 1000L, frames);
    }

    private List<SealedSegment> chain() {
        List<SealedSegment> chain = new ArrayList<>();
        chain.add(segment(1, 0, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
        chain.add(segment(13, 1, 14, 3, 13, 14, 5, 3));
        chain.add(segment(18, 2, 14, 1, 12, 7, 8, 9));
        return chain;
    }

    /** The database a restore must produce: each page's last write, pages 1..size_after of the last segment. */
    private static byte[] expectedDatabase(List<SealedSegment> chain) {
        int pages = chain.get(chain.size() - 1).sizeAfter();
        byte[] db = new byte[pages * PAGE];
        for (SealedSegment segment : chain) {
            for (Frame frame : segment.frames()) {
                System.arraycopy(frame.page(), 0, db, (frame.pageNo() - 1) * PAGE, PAGE);
            }
        }
        return db;
    }

    @Test
    void shouldStoreOnlyCiphertextAndRestoreTheSourceWithTheKeyOnly() throws Exception {
        Topics topics = WorkerFixture.uniqueTopics("encrypt");
        String bucket = S3.newBucket();
        Map<String, Object> workerProps = WorkerFixture.config(KAFKA, S3, topics, "encrypt-workers", "w1", bucket,
                dir.resolve("state"));
        workerProps.put(StorageProfile.key(PROFILE, "encryption.key"), key(1));
        workerProps.put(StorageProfile.key(PROFILE, "encryption.key.id"), "test-2026");
        List<SealedSegment> chain = chain();
        long lastFrame = chain.get(chain.size() - 1).endFrameNo();
        Map<String, Object> nodeProps = WorkerFixture.storageConfig(KAFKA, topics, "node-encrypt");
        nodeProps.put(StorageProfile.PROFILES_CONFIG, PROFILE);
        workerProps.keySet().stream().filter(k -> k.startsWith("storage.profile." + PROFILE + "."))
                .forEach(k -> nodeProps.put(k, workerProps.get(k)));
        try (Worker worker = Worker.start(new WorkerConfig(workerProps));
             FathomStorage node = FathomStorage.start(new FathomStorageConfig(nodeProps))) {
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            chain.forEach(s -> node.store(NS, s, PROFILE, (durable, failure) -> {
                if (failure != null) {
                    failures.add(failure);
                }
            }));
            Await.until(TIMEOUT, () -> node.durableFrameNo(NS) == lastFrame || !failures.isEmpty(),
                    "frame " + lastFrame + " durable");
            assertTrue(failures.isEmpty(), () -> "store failures: " + failures);

            assertBucketHoldsOnlyCiphertext(bucket, chain.size());
            byte[] expected = expectedDatabase(chain);
            Path restored = dir.resolve("restored.db");
            node.restore(restored, NS, RestoreTarget.latest(), PROFILE);
            assertArrayEquals(expected, Files.readAllBytes(restored), "the restore equals the source");
            for (int pageNo = 1; pageNo <= chain.get(chain.size() - 1).sizeAfter(); pageNo++) {
                assertArrayEquals(Arrays.copyOfRange(expected, (pageNo - 1) * PAGE, pageNo * PAGE),
                        node.readPage(NS, pageNo, lastFrame, PROFILE).orElseThrow(), "page " + pageNo);
            }
            StoredSegment newest = node.findSegment(NS, RestoreTarget.latest(), PROFILE).orElseThrow();
            assertEquals(chain.get(2).id(), node.fetchSegmentData(NS, newest, PROFILE).id());

            StorageProfile profile = new FathomStorageConfig(nodeProps).storageProfiles().get(0);
            assertWrongAndMissingKeysAreNamed(profile);
            assertFlippedBytesAreNamed(bucket, profile, newest);
        }
    }

    private static void assertBucketHoldsOnlyCiphertext(String bucket, int segments) {
        List<String> keys = S3.listKeys(bucket, "");
        assertEquals(2 * segments, keys.size(), "a .seg and an .idx per segment: " + keys);
        byte[] marker = MARKER.getBytes(StandardCharsets.US_ASCII);
        for (String key : keys) {
            byte[] bytes = S3.get(bucket, key);
            assertEquals("FTHMENC\u0001", new String(bytes, 0, 8, StandardCharsets.ISO_8859_1), key);
            assertFalse(contains(bytes, marker), key + " holds page plaintext");
            assertFalse(contains(bytes, "FTHMSEG".getBytes(StandardCharsets.US_ASCII)), key);
        }
    }

    private void assertWrongAndMissingKeysAreNamed(StorageProfile profile) {
        StorageProfile wrong = profile.withEncryptionKey(EnvelopeKey.parse("test-2026", key(2), "wrong"));
        try (FathomReader reader = new FathomReader(List.of(wrong), ReadSettings.defaults())) {
            RestoreException e = assertThrows(RestoreException.class,
                    () -> reader.restore(dir.resolve("wrong.db"), NS, RestoreTarget.latest(), PROFILE));
            assertTrue(e.getMessage().contains(".idx") && e.getMessage().contains("wrong encryption key"),
                    e.getMessage());
            assertFalse(Files.exists(dir.resolve("wrong.db")));
        }
        try (FathomReader reader = new FathomReader(List.of(profile.withEncryptionKey(null)),
                ReadSettings.defaults())) {
            RestoreException e = assertThrows(RestoreException.class,
                    () -> reader.restore(dir.resolve("none.db"), NS, RestoreTarget.latest(), PROFILE));
            assertTrue(e.getMessage().contains("s3://") && e.getMessage().contains("encryption.key"),
                    e.getMessage());
        }
    }

    /** A flipped byte in a page's encrypted block fails restore and readPage, naming the .seg object. */
    private void assertFlippedBytesAreNamed(String bucket, StorageProfile profile, StoredSegment newest) {
        byte[] original = S3.get(bucket, newest.dataKey());
        byte[] corrupt = original.clone();
        corrupt[64 + 12 + 100] ^= 0x40; // inside block 0's ciphertext: the first page record
        S3.client().putObject(b -> b.bucket(bucket).key(newest.dataKey()), RequestBody.fromBytes(corrupt));
        try (FathomReader reader = new FathomReader(List.of(profile), ReadSettings.defaults())) {
            RestoreException e = assertThrows(RestoreException.class,
                    () -> reader.restore(dir.resolve("flipped.db"), NS, RestoreTarget.latest(), PROFILE));
            assertTrue(e.getMessage().contains(newest.dataKey()) && e.getMessage().contains("authentication"),
                    e.getMessage());
            RestoreException page = assertThrows(RestoreException.class,
                    () -> reader.readPage(NS, 1, newest.id().endFrameNo(), PROFILE));
            assertTrue(page.getMessage().contains(newest.dataKey()), page.getMessage());
        } finally {
            S3.client().putObject(b -> b.bucket(bucket).key(newest.dataKey()), RequestBody.fromBytes(original));
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
