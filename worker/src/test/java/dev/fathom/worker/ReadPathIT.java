package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.producer.FathomStorage;
import dev.fathom.producer.FathomStorageConfig;
import dev.fathom.producer.restore.RestoreResult;
import dev.fathom.producer.restore.RestoreTarget;
import dev.fathom.producer.restore.StoredSegment;
import dev.fathom.schemas.Topics;
import dev.fathom.schemas.format.CompactedSegmentObjects;
import dev.fathom.schemas.format.CompactedSegmentWriter;
import dev.fathom.schemas.format.Frame;
import dev.fathom.schemas.format.ObjectKeys;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.S3Server;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The node's read path end to end: segments stored through FathomStorage and made durable by a real worker, then
 * listed, found, read page by page and restored through the same FathomStorage, first with its catalog from the
 * worker's meta API (meta.urls) and then, the worker gone, from the bucket listing. A segment uploaded behind the
 * workers' back (in the bucket, not in the catalog) shows which source answered.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReadPathIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.singleNode();
    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String NS = "read-path-db";
    private static final String PROFILE = "default";
    private static final int PAGE = 1024;
    private static final long SEALED_AT_MS = 1_764_000_000_000L;

    @TempDir
    Path dir;

    private final Random random = new Random(3);

    /** Grows to 8 pages, shrinks to 4, grows again: page reads and restores must never use a pre-truncation page. */
    private List<SealedSegment> chain() {
        return List.of(segment(1, 0, 6, 1, 2, 3, 4, 5, 6), segment(7, 1, 8, 2, 7, 8, 3), segment(11, 2, 4, 1, 2),
                segment(13, 3, 6, 5, 6, 3, 5), segment(17, 4, 7, 6, 7, 1), segment(20, 5, 7, 2));
    }

    private SealedSegment segment(long start, int index, int sizeAfter, int... pageNos) {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < pageNos.length; i++) {
            byte[] page = new byte[PAGE];
            random.nextBytes(page);
            ByteBuffer.wrap(page).putInt(pageNos[i]).putLong(start + i);
            frames.add(new Frame(pageNos[i], i == pageNos.length - 1 ? sizeAfter : 0, start + i, page));
        }
        return SealedSegment.of(PAGE, SEALED_AT_MS + index * 1000L, frames);
    }

    @Test
    void shouldReadThroughTheMetaApiAndFromTheBucketOnceTheApiIsGone() throws Exception {
        Topics topics = WorkerFixture.uniqueTopics("readpath");
        String bucket = S3.newBucket();
        Map<String, Object> workerProps = WorkerFixture.config(KAFKA, S3, topics, "readpath-workers", "w1", bucket,
                dir.resolve("state"));
        List<SealedSegment> chain = chain();
        long lastFrame = chain.get(chain.size() - 1).endFrameNo();
        Worker worker = Worker.start(new WorkerConfig(workerProps));
        FathomStorage node = null;
        try {
            Await.until(TIMEOUT, () -> worker.meta().isRunning(), "the worker's meta service to be RUNNING");
            Map<String, Object> nodeProps = WorkerFixture.storageConfig(KAFKA, topics, "node-readpath");
            nodeProps.put("storage.profiles", PROFILE);
            for (String setting : List.of("bucket", "endpoint", "region", "path.style", "access.key", "secret.key")) {
                String key = "storage.profile." + PROFILE + "." + setting;
                nodeProps.put(key, workerProps.get(key));
            }
            nodeProps.put("meta.urls", worker.meta().httpAddress().toString());
            nodeProps.put("meta.request.timeout.ms", "2000");
            node = FathomStorage.start(new FathomStorageConfig(nodeProps));
            store(node, chain);
            FathomStorage reader = node;
            Await.until(TIMEOUT, () -> reader.durableFrameNo(NS) == lastFrame, "frame " + lastFrame + " durable");
            Await.until(TIMEOUT, () -> reader.listSegments(NS, RestoreTarget.latest(), PROFILE).count()
                    == chain.size(), "the meta API to list the " + chain.size() + " stored segments");
            uploadBehindTheWorkersBack(bucket, segment(lastFrame + 1, 9, 7, 1, 2));
            assertEquals(chain.size(), node.listSegments(NS, RestoreTarget.latest(), PROFILE).count(),
                    "the meta API answers: it does not list the segment the bucket has beyond the catalog");

            assertReads(node, chain, "through the meta API");
        } finally {
            worker.close();
        }
        try {
            assertEquals(chain.size() + 1, node.listSegments(NS, RestoreTarget.latest(), PROFILE).count(),
                    "with the worker gone the bucket listing answers, which has the extra segment");
            assertReads(node, chain, "from the bucket listing");
        } finally {
            node.close();
        }
    }

    /** The last frame written to {@code pageNo} in {@code segments}, computed from the frames alone. */
    private static byte[] newestVersion(List<SealedSegment> segments, int pageNo) {
        byte[] newest = null;
        for (SealedSegment segment : segments) {
            for (Frame frame : segment.frames()) {
                newest = frame.pageNo() == pageNo ? frame.page() : newest;
            }
        }
        return newest;
    }

    private static void store(FathomStorage node, List<SealedSegment> chain) {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (SealedSegment segment : chain) {
            node.store(NS, segment, PROFILE, (durable, failure) -> {
                if (failure != null) {
                    failures.add(failure);
                }
            });
        }
        assertTrue(failures.isEmpty(), () -> "store failures: " + failures);
    }

    private static void uploadBehindTheWorkersBack(String bucket, SealedSegment segment) {
        CompactedSegmentObjects objects = CompactedSegmentWriter.write(segment);
        S3.client().putObject(b -> b.bucket(bucket).key(ObjectKeys.dataKey("", NS, segment.id())),
                RequestBody.fromBytes(objects.data()));
        S3.client().putObject(b -> b.bucket(bucket).key(ObjectKeys.indexKey("", NS, segment.id())),
                RequestBody.fromBytes(objects.index()));
    }

    /**
     * At every segment boundary (and a frame just past it): findSegment and listSegments select that segment, the
     * restore writes size_after pages, and readPage returns exactly the restored file's bytes for every page (empty
     * past size_after).
     */
    private void assertReads(FathomStorage node, List<SealedSegment> chain, String via) throws Exception {
        for (int i = 0; i < chain.size(); i++) {
            SealedSegment target = chain.get(i);
            long frame = target.endFrameNo();
            String what = via + ", segment " + i + " (frame " + frame + ")";
            Optional<StoredSegment> found = node.findSegment(NS, RestoreTarget.atFrame(frame), PROFILE);
            assertEquals(Optional.of(target.id()), found.map(StoredSegment::id), what);
            assertEquals(target.id(), node.findSegment(NS, RestoreTarget.atTime(
                    Instant.ofEpochMilli(target.sealedAtMs() + 10)), PROFILE).orElseThrow().id(), what + " by time");
            List<SealedSegment> newestFirst = new ArrayList<>(chain.subList(0, i + 1));
            Collections.reverse(newestFirst);
            assertEquals(newestFirst.stream().map(SealedSegment::id).toList(),
                    node.listSegments(NS, RestoreTarget.atFrame(frame), PROFILE).map(StoredSegment::id).toList(),
                    what + ": listSegments newest first");
            assertEquals(target.sizeAfter(), node.fetchSegmentIndex(NS, found.get(), PROFILE).sizeAfter(), what);

            Path file = dir.resolve("restore-" + via.hashCode() + "-" + i + ".db");
            RestoreResult result = node.restore(file, NS, RestoreTarget.atFrame(frame), PROFILE);
            assertEquals(target.id(), result.segmentId(), what);
            byte[] restored = Files.readAllBytes(file);
            assertEquals(target.sizeAfter() * PAGE, restored.length, what + ": restored size");
            // The frame just before the next boundary still reads as of this segment.
            long beforeNext = i + 1 < chain.size() ? chain.get(i + 1).endFrameNo() - 1 : frame;
            for (int pageNo = 1; pageNo <= 9; pageNo++) {
                for (long at : new long[] {frame, beforeNext}) {
                    Optional<byte[]> page = node.readPage(NS, pageNo, at, PROFILE);
                    if (pageNo > target.sizeAfter()) {
                        assertEquals(Optional.empty(), page.map(Arrays::toString), what + ", page " + pageNo
                                + " at frame " + at);
                    } else {
                        assertArrayEquals(Arrays.copyOfRange(restored, (pageNo - 1) * PAGE, pageNo * PAGE),
                                page.orElseThrow(), what + ", page " + pageNo + " at frame " + at
                                        + " = the restored file's");
                        assertArrayEquals(newestVersion(chain.subList(0, i + 1), pageNo), page.get(),
                                what + ", page " + pageNo + " = its last write");
                    }
                }
            }
        }
    }
}
