package dev.fathom.producer.restore;

import static dev.fathom.producer.restore.SegmentUploads.replay;
import static dev.fathom.producer.restore.SegmentUploads.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.producer.storage.ObjectCodec;
import dev.fathom.schemas.format.CompactedSegmentWriter;
import dev.fathom.schemas.format.PageIndex;
import dev.fathom.schemas.format.PageLocation;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.S3Server;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The copier against a real S3 API: the planner waits while {@code maxPending} copies are pending and goes on when
 * one ends, or wakes with the first copy failure. The copy pool's only thread is held by a gate the test opens, so
 * the order of events is fixed without sleeping.
 */
class PageCopierIT {

    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final String PREFIX = "copier";

    @TempDir
    Path dir;

    private final ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(1);
    private final CountDownLatch gate = new CountDownLatch(1);
    private final SealedSegment older = segment(1, 1000, 4, 1, 2);
    private final SealedSegment newer = segment(3, 2000, 4, 3, 4);
    private final PageOwners owners = new PageOwners(SegmentUploads.PAGE, 4);

    @AfterEach
    void stopPool() {
        gate.countDown();
        pool.shutdownNow();
    }

    /** Uploads {@code segment} and assigns it the pages no newer segment owns, as the planner would. */
    private OwnedSegment plan(String bucket, SealedSegment segment, int owner) {
        StoredSegment stored = SegmentUploads.upload(S3, bucket, PREFIX, "db", segment);
        PageIndex index = PageIndex.read(ByteBuffer.wrap(CompactedSegmentWriter.write(segment).index()), "test");
        int owned = 0;
        for (PageLocation location : index.locations()) {
            owned += owners.claim(location.pageNo(), owner) ? 1 : 0;
        }
        return new OwnedSegment(stored, owner, index.id(), index.sizeAfter(), index.pageCount(), index.dataSize(),
                owned);
    }

    /** Occupies the pool's only thread until the gate opens. */
    private void holdThePool() {
        pool.execute(() -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Hands {@code segment} to the copier from a thread of its own, as the planner does; returns once it waits. */
    private Thread handOverAndWait(PageCopier copier, OwnedSegment segment, AtomicReference<Throwable> thrown) {
        Thread planner = new Thread(() -> {
            try {
                copier.owned(segment, owners);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        planner.start();
        while (planner.getState() != Thread.State.WAITING && planner.getState() != Thread.State.TERMINATED) {
            Thread.onSpinWait();
        }
        return planner;
    }

    private PageCopier copier(String bucket, FileChannel out) {
        return new PageCopier(S3.client(), bucket, ObjectCodec.plaintext(), out, new ProgressCounter(p -> { }), pool,
                1, Clock.systemUTC());
    }

    @Test
    void shouldHoldThePlannerWhileMaxPendingCopiesArePendingThenCopyEverything() throws Exception {
        String bucket = S3.newBucket();
        OwnedSegment first = plan(bucket, newer, 2);
        OwnedSegment second = plan(bucket, older, 1);
        Path file = dir.resolve("db");
        holdThePool();
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            PageCopier copier = copier(bucket, out);
            copier.owned(first, owners);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread planner = handOverAndWait(copier, second, thrown);

            assertEquals(Thread.State.WAITING, planner.getState(), "the planner waits: " + thrown.get());
            assertEquals(1, pool.getQueue().size(), "only the first copy is queued");
            gate.countDown();
            planner.join();
            assertNull(thrown.get());
            copier.awaitAll();
        }
        assertArrayEquals(replay(List.of(older, newer)), Files.readAllBytes(file));
    }

    @Test
    void shouldWakeAWaitingPlannerWithTheFirstCopyFailure() throws Exception {
        String bucket = S3.newBucket();
        OwnedSegment first = plan(bucket, newer, 2);
        OwnedSegment second = plan(bucket, older, 1);
        S3.client().deleteObject(b -> b.bucket(bucket).key(first.stored().dataKey()));
        holdThePool();
        try (FileChannel out = FileChannel.open(dir.resolve("db"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            PageCopier copier = copier(bucket, out);
            copier.owned(first, owners);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread planner = handOverAndWait(copier, second, thrown);
            assertEquals(Thread.State.WAITING, planner.getState(), "the planner waits: " + thrown.get());
            gate.countDown();
            planner.join();

            Throwable failure = thrown.get();
            assertTrue(failure instanceof RestoreException && failure.getMessage().startsWith(
                    "Could not fetch segment s3://" + bucket + "/" + first.stored().dataKey()), String.valueOf(failure));
            assertSame(failure, assertThrows(RestoreException.class, copier::awaitAll), "the first failure again");
            assertEquals(0, pool.getQueue().size(), "the second copy was never submitted");
        }
    }
}
