package dev.fathom.bench;

import dev.fathom.schemas.format.Frame;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.TestSegments;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Makes the bench's WAL from a pool of random pages generated once. Filling every page with {@code Random.nextBytes}
 * cost 14 % of the machine's CPU in the first ingest profile: the load generator competed with what it measured.
 * Frames share the pool's arrays, which {@link Frame} allows as long as nobody writes them. Not thread-safe.
 */
final class WalGenerator {

    /** Distinct page images: 16 MiB of 4 KiB pages, four times a default (4 MiB) segment. */
    private static final int POOL_PAGES = 4096;

    private final int pageSize;
    private final byte[][] pool;
    private final Random random;

    WalGenerator(int pageSize, long seed) {
        this.pageSize = pageSize;
        this.random = new Random(seed);
        this.pool = new byte[POOL_PAGES][];
        for (int i = 0; i < POOL_PAGES; i++) {
            pool[i] = new byte[pageSize];
            random.nextBytes(pool[i]);
        }
    }

    /**
     * A segment of {@code frames} frames from {@code startFrameNo}, each writing a random page of 1..maxPageNo, on a
     * database of {@code dbSize} pages before it (testkit's {@link TestSegments} shape, pages from the pool).
     */
    SealedSegment randomPages(long startFrameNo, int frames, int maxPageNo, int dbSize, long sealedAtMs) {
        return TestSegments.random(startFrameNo, frames, pageSize, maxPageNo, dbSize, sealedAtMs, random,
                (frameNo, pageNo) -> pooled());
    }

    /**
     * The segments of a database whose every page 1..{@code pages} is written exactly once, in order: what a restore
     * must reproduce (random page numbers would leave holes the restorer rightly rejects).
     */
    List<SealedSegment> database(int pages, int framesPerSegment, long sealedAtMs) {
        List<SealedSegment> segments = new ArrayList<>();
        List<Frame> frames = new ArrayList<>(framesPerSegment);
        for (int pageNo = 1; pageNo <= pages; pageNo++) {
            boolean commit = frames.size() == framesPerSegment - 1 || pageNo == pages;
            frames.add(new Frame(pageNo, commit ? pageNo : 0, pageNo, pooled()));
            if (commit) {
                segments.add(SealedSegment.of(pageSize, sealedAtMs + segments.size(), frames));
                frames = new ArrayList<>(framesPerSegment);
            }
        }
        return segments;
    }

    private byte[] pooled() {
        return pool[random.nextInt(POOL_PAGES)];
    }
}
