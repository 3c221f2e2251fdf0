package dev.fathom.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.cli.FathomCliTest.Run;
import dev.fathom.schemas.format.CompactedSegmentObjects;
import dev.fathom.schemas.format.CompactedSegmentWriter;
import dev.fathom.schemas.format.Frame;
import dev.fathom.schemas.format.ObjectKeys;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.S3Server;
import dev.fathom.testkit.TestSegments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
 * {@code fathom restore}, {@code segments list} and {@code verify} against a real S3 API holding segments written
 * by the test itself (no Kafka): exact database bytes at the latest and a middle boundary, every segment listed,
 * verify clean, then a corrupt {@code .seg} makes verify and restore fail without leaving an output file.
 */
class RestoreCommandsIT {

    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final String NS = "orders-db";
    private static final String PREFIX = "tenant-a";
    private static final int PAGE_SIZE = 512;
    private static final long FIRST_SEALED_AT = Instant.parse("2026-01-31T12:00:00Z").toEpochMilli();

    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void shouldRestoreListAndVerifyAndFailOnACorruptSegment() throws IOException {
        String bucket = S3.newBucket();
        List<SealedSegment> chain = TestSegments.chain(6, 1, 20, PAGE_SIZE, 8, FIRST_SEALED_AT, new Random(7));
        List<String> dataKeys = new ArrayList<>();
        for (SealedSegment segment : chain) {
            CompactedSegmentObjects objects = CompactedSegmentWriter.write(segment);
            String dataKey = ObjectKeys.dataKey(PREFIX, NS, segment.id());
            S3.client().putObject(b -> b.bucket(bucket).key(dataKey), RequestBody.fromBytes(objects.data()));
            S3.client().putObject(b -> b.bucket(bucket).key(ObjectKeys.indexKey(PREFIX, NS, segment.id())),
                    RequestBody.fromBytes(objects.index()));
            dataKeys.add(dataKey);
        }

        // Latest.
        Path latest = tmp.resolve("latest.db");
        Run run = fathom(bucket, "restore", "--namespace", NS, "-o", latest.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertArrayEquals(expectedDatabase(chain, chain.size()), Files.readAllBytes(latest));
        SealedSegment last = chain.get(chain.size() - 1);
        assertTrue(run.out().contains("Restored namespace " + NS), run::toString);
        assertTrue(run.out().contains(Long.toString(last.endFrameNo())), run::toString);

        // A middle boundary: --frame at the end of the third segment, and one frame past it (same boundary).
        SealedSegment middle = chain.get(2);
        byte[] expectedMiddle = expectedDatabase(chain, 3);
        Path atFrame = tmp.resolve("frame.db");
        run = fathom(bucket, "restore", "--namespace", NS, "--frame", Long.toString(middle.endFrameNo()),
                "-o", atFrame.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertArrayEquals(expectedMiddle, Files.readAllBytes(atFrame));
        run = fathom(bucket, "restore", "--namespace", NS, "--frame", Long.toString(middle.endFrameNo() + 1),
                "-o", atFrame.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertArrayEquals(expectedMiddle, Files.readAllBytes(atFrame));

        // --timestamp at the third segment's sealed_at.
        Path atTime = tmp.resolve("time.db");
        run = fathom(bucket, "restore", "--namespace", NS, "--timestamp",
                Instant.ofEpochMilli(middle.sealedAtMs()).toString(), "-o", atTime.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertArrayEquals(expectedMiddle, Files.readAllBytes(atTime));

        // segments list: every segment, in order.
        run = fathom(bucket, "segments", "list", NS);
        assertEquals(0, run.exitCode(), run::toString);
        for (SealedSegment segment : chain) {
            String line = run.out().lines().filter(l -> l.startsWith(segment.startFrameNo() + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no line for " + segment.id() + " in " + fathomOut(bucket)));
            assertTrue(line.contains(" " + segment.endFrameNo() + " "), line);
            assertTrue(line.contains(Instant.ofEpochMilli(segment.sealedAtMs()).toString()), line);
        }
        assertTrue(run.out().contains(chain.size() + " segments"), run::toString);

        // verify: all good.
        run = fathom(bucket, "verify", NS);
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(chain.size(), run.out().lines().filter(l -> l.startsWith("OK")).count(), run::toString);

        // Corrupt one byte of the newest segment's .seg (a restore reads newest first and may stop before older ones).
        String corruptKey = dataKeys.get(dataKeys.size() - 1);
        byte[] data = S3.get(bucket, corruptKey);
        data[data.length / 2] ^= 0x5A;
        S3.client().putObject(b -> b.bucket(bucket).key(corruptKey), RequestBody.fromBytes(data));

        run = fathom(bucket, "verify", NS);
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains("s3://" + bucket + "/" + corruptKey), run::toString);
        assertTrue(run.out().contains("FAILED"), run::toString);

        Path broken = tmp.resolve("broken.db");
        run = fathom(bucket, "restore", "--namespace", NS, "-o", broken.toString());
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains(corruptKey), run::toString);
        assertFalse(Files.exists(broken), run::toString);
        try (var files = Files.list(tmp)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".restoring")), "temp file left");
        }
    }

    @Test
    void shouldFailVerifyNamingAMissingIndexObject() {
        String bucket = S3.newBucket();
        List<SealedSegment> chain = TestSegments.chain(3, 1, 10, PAGE_SIZE, 4, FIRST_SEALED_AT, new Random(3));
        for (SealedSegment segment : chain) {
            CompactedSegmentObjects objects = CompactedSegmentWriter.write(segment);
            S3.client().putObject(b -> b.bucket(bucket).key(ObjectKeys.dataKey(PREFIX, NS, segment.id())),
                    RequestBody.fromBytes(objects.data()));
            if (segment != chain.get(1)) {
                S3.client().putObject(b -> b.bucket(bucket).key(ObjectKeys.indexKey(PREFIX, NS, segment.id())),
                        RequestBody.fromBytes(objects.index()));
            }
        }
        Run run = fathom(bucket, "verify", NS);
        assertEquals(1, run.exitCode(), run::toString);
        String missing = "s3://" + bucket + "/" + ObjectKeys.indexKey(PREFIX, NS, chain.get(1).id());
        assertTrue(run.err().contains(missing), run::toString);
        assertTrue(run.out().contains("missing frames " + chain.get(1).startFrameNo()), run::toString);
    }

    @Test
    void shouldFailVerifyAndRestoreNamingACorruptIndexObject() throws IOException {
        String bucket = S3.newBucket();
        List<SealedSegment> chain = TestSegments.chain(4, 1, 10, PAGE_SIZE, 6, FIRST_SEALED_AT, new Random(5));
        for (SealedSegment segment : chain) {
            CompactedSegmentObjects objects = CompactedSegmentWriter.write(segment);
            S3.client().putObject(b -> b.bucket(bucket).key(ObjectKeys.dataKey(PREFIX, NS, segment.id())),
                    RequestBody.fromBytes(objects.data()));
            S3.client().putObject(b -> b.bucket(bucket).key(ObjectKeys.indexKey(PREFIX, NS, segment.id())),
                    RequestBody.fromBytes(objects.index()));
        }
        // The newest segment's page index: every restore reads it first, verify reads every object.
        String corruptKey = ObjectKeys.indexKey(PREFIX, NS, chain.get(chain.size() - 1).id());
        byte[] index = S3.get(bucket, corruptKey);
        index[index.length / 2] ^= 0x21;
        S3.client().putObject(b -> b.bucket(bucket).key(corruptKey), RequestBody.fromBytes(index));

        Run run = fathom(bucket, "verify", NS);
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains("s3://" + bucket + "/" + corruptKey), run::toString);
        assertEquals(chain.size() - 1, run.out().lines().filter(l -> l.startsWith("OK")).count(), run::toString);
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("FAILED") && l.contains(corruptKey)), run::toString);

        Path broken = tmp.resolve("broken-index.db");
        run = fathom(bucket, "restore", "--namespace", NS, "-o", broken.toString());
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains(corruptKey), run::toString);
        assertFalse(Files.exists(broken), run::toString);
    }

    @Test
    void shouldFailWhenNoSegmentMatches() {
        String bucket = S3.newBucket();
        Path out = tmp.resolve("none.db");
        Run run = fathom(bucket, "restore", "--namespace", "nothing-here", "-o", out.toString());
        assertEquals(1, run.exitCode(), run::toString);
        assertFalse(Files.exists(out));
        Run verify = fathom(bucket, "verify", "nothing-here");
        assertEquals(1, verify.exitCode(), verify::toString);
    }

    /** Applies the frames of the first {@code segments} segments in order; the file is size_after pages. */
    private static byte[] expectedDatabase(List<SealedSegment> chain, int segments) {
        Map<Integer, byte[]> pages = new HashMap<>();
        int size = 0;
        for (SealedSegment segment : chain.subList(0, segments)) {
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
            byte[] page = pages.get(p);
            if (page == null) {
                throw new AssertionError("page " + p + " never written");
            }
            System.arraycopy(page, 0, db, (p - 1) * PAGE_SIZE, PAGE_SIZE);
        }
        return db;
    }

    private static String fathomOut(String bucket) {
        return "bucket " + bucket;
    }

    private static Run fathom(String bucket, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--s3-endpoint", S3.endpoint().toString(), "--bucket", bucket, "--prefix", PREFIX,
                "--region", S3.region(), "--path-style", "--access-key", S3.accessKey(),
                "--secret-key", S3.secretKey()));
        return FathomCliTest.fathom(all.toArray(String[]::new));
    }
}
