package dev.fathom.producer.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.format.CompactedSegmentObjects;
import dev.fathom.schemas.format.CompactedSegmentWriter;
import dev.fathom.schemas.format.Frame;
import dev.fathom.schemas.format.ObjectKeys;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.ForkedJvm;
import dev.fathom.testkit.S3Server;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Restore streams: a 260 MiB database (66 560 pages of 4 KiB: four base segments of 64 MiB, then segments that
 * rewrite every 5th page, grow the database and rewrite every 7th page) restores in a forked JVM limited to a 64 MiB
 * heap, byte for byte. Page contents come from a seed, so neither side holds the database. For a bigger run:
 * {@code -Dfathom.it.restore.base.segments=16} (1 GiB), optionally with {@code -Dfathom.it.restore.heap=-Xmx128m}
 * or {@code -Dfathom.it.restore.parallelism=1} (the fetched bytes must stay above four times the heap).
 */
class DatabaseRestorerMemoryIT {

    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final int PAGE = 4096;
    private static final int SEGMENT_PAGES = 16_384; // at most 64 MiB of pages per segment
    private static final int BASE_SEGMENTS = Integer.getInteger("fathom.it.restore.base.segments", 4);
    private static final String HEAP = System.getProperty("fathom.it.restore.heap", "-Xmx64m");
    private static final String PARALLELISM = System.getProperty("fathom.it.restore.parallelism", "4");
    private static final int BASE_PAGES = BASE_SEGMENTS * SEGMENT_PAGES;
    private static final int FINAL_PAGES = BASE_PAGES + 1024;
    private static final long SEED = 0x5EED_F00DL;
    private static final String PREFIX = "big";
    private static final String NAMESPACE = "bigdb";
    private static final Pattern RESULT = Pattern.compile("RESULT (.*)");

    @TempDir
    Path dir;

    /** Newest segment number written to each page number so far (index 0 unused): 4 bytes a page, no contents. */
    private final int[] newestSegment = new int[FINAL_PAGES + 1];
    private int segments;
    private long nextFrameNo = 1;

    /** The content segment {@code segmentNo} writes to {@code pageNo}: page and segment numbers, then seeded bytes. */
    private static byte[] page(int pageNo, int segmentNo) {
        byte[] page = new byte[PAGE];
        new SplittableRandom(SEED ^ ((long) pageNo << 8) ^ segmentNo).nextBytes(page);
        ByteBuffer.wrap(page).putInt(pageNo).putInt(segmentNo);
        return page;
    }

    /**
     * Uploads the pages in {@code from..to} that {@code writes} accepts as segments of at most
     * {@link #SEGMENT_PAGES} pages, each committing {@code sizeAfter} pages.
     */
    private void write(String bucket, int from, int to, int sizeAfter, IntPredicate writes) {
        List<Integer> run = new ArrayList<>();
        for (int p = from; p <= to; p++) {
            if (writes.test(p)) {
                run.add(p);
            }
            if (run.size() == SEGMENT_PAGES || (p == to && !run.isEmpty())) {
                upload(bucket, run, sizeAfter);
                run.clear();
            }
        }
    }

    private void upload(String bucket, List<Integer> pageNos, int sizeAfter) {
        int segmentNo = ++segments;
        List<Frame> frames = new ArrayList<>(pageNos.size());
        for (int i = 0; i < pageNos.size(); i++) {
            int p = pageNos.get(i);
            frames.add(new Frame(p, i == pageNos.size() - 1 ? sizeAfter : 0, nextFrameNo + i, page(p, segmentNo)));
            newestSegment[p] = segmentNo;
        }
        SealedSegment segment = SealedSegment.of(PAGE, 1_700_000_000_000L + segmentNo, frames);
        CompactedSegmentObjects objects = CompactedSegmentWriter.write(segment);
        S3.client().putObject(b -> b.bucket(bucket).key(ObjectKeys.dataKey(PREFIX, NAMESPACE, segment.id())),
                RequestBody.fromBytes(objects.data()));
        S3.client().putObject(b -> b.bucket(bucket).key(ObjectKeys.indexKey(PREFIX, NAMESPACE, segment.id())),
                RequestBody.fromBytes(objects.index()));
        nextFrameNo = segment.endFrameNo() + 1;
    }

    @Test
    void shouldRestoreADatabaseLargerThanFourTimesTheHeapByteForByte() throws Exception {
        String bucket = S3.newBucket();
        for (int s = 1; s <= BASE_SEGMENTS; s++) {
            write(bucket, (s - 1) * SEGMENT_PAGES + 1, s * SEGMENT_PAGES, s * SEGMENT_PAGES, p -> true);
        }
        write(bucket, 1, BASE_PAGES, BASE_PAGES, p -> p % 5 == 0);
        write(bucket, BASE_PAGES + 1, FINAL_PAGES, FINAL_PAGES, p -> true);
        write(bucket, 1, FINAL_PAGES, FINAL_PAGES, p -> p % 7 == 0);
        long owning = Arrays.stream(newestSegment, 1, newestSegment.length).distinct().count();

        Path file = dir.resolve("big.db");
        Map<String, Long> result = forkRestore(bucket, file);

        assertEquals(FINAL_PAGES, result.get("pages"));
        assertEquals(owning, result.get("segments"), "segments holding a newest page version");
        assertEquals(segments, owning, "every segment still holds a newest page version");
        long limit = Long.parseLong(HEAP.replaceAll("\\D", "")) << 20;
        assertTrue(result.get("maxHeapBytes") <= limit, "the forked JVM ran with " + HEAP + ": " + result);
        assertTrue(result.get("bytes") > 4 * result.get("maxHeapBytes"), "fetched more than 4x the heap: " + result);
        assertEquals((long) FINAL_PAGES * PAGE, Files.size(file));
        checkEveryPage(file);
        double mib = result.get("bytes") / (double) (1 << 20);
        System.out.printf("Restored %.1f MiB (%d pages, %d segments) in %d ms = %.1f MiB/s with %s and %s fetches in"
                        + " parallel, peak heap %.1f MiB%n", mib, FINAL_PAGES, owning, result.get("millis"),
                mib * 1000 / Math.max(1, result.get("millis")), HEAP, PARALLELISM,
                result.get("peakHeapBytes") / (double) (1 << 20));
    }

    private Map<String, Long> forkRestore(String bucket, Path file) {
        List<String> args = List.of(S3.endpoint().toString(), S3.accessKey(), S3.secretKey(), S3.region(), bucket,
                PREFIX, NAMESPACE, file.toString(), PARALLELISM);
        try (ForkedJvm jvm = ForkedJvm.start(ForkedRestore.class.getName(), args, List.of(HEAP),
                dir.resolve("restore.log"))) {
            int exit = jvm.awaitExit(Duration.ofSeconds(60 + 10L * BASE_SEGMENTS));
            String log = jvm.logTail(40);
            assertEquals(0, exit, "forked restore failed:\n" + log);
            Matcher matcher = RESULT.matcher(log);
            assertTrue(matcher.find(), "no RESULT line in:\n" + log);
            Map<String, Long> values = new HashMap<>();
            Arrays.stream(matcher.group(1).trim().split(" ")).map(kv -> kv.split("="))
                    .forEach(kv -> values.put(kv[0], Long.parseLong(kv[1])));
            return values;
        }
    }

    private void checkEveryPage(Path file) throws Exception {
        ByteBuffer actual = ByteBuffer.allocate(PAGE);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int p = 1; p <= FINAL_PAGES; p++) {
                actual.clear();
                while (actual.hasRemaining() && in.read(actual, (long) (p - 1) * PAGE + actual.position()) > 0) {
                    // read the whole page
                }
                byte[] expected = page(p, newestSegment[p]);
                if (!Arrays.equals(expected, actual.array())) {
                    throw new AssertionError("page " + p + " differs: expected the version of segment "
                            + newestSegment[p] + ", file has page " + ByteBuffer.wrap(actual.array()).getInt(0)
                            + " of segment " + ByteBuffer.wrap(actual.array()).getInt(4));
                }
            }
        }
    }
}
