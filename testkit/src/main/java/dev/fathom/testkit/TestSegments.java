package dev.fathom.testkit;

import dev.fathom.schemas.format.Frame;
import dev.fathom.schemas.format.SealedSegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Builds valid sealed segments with random pages for tests: contiguous frame numbers, pages numbered
 * 1..maxPageNo, occasional commit frames inside and always a commit frame last, and a database size
 * ({@code size_after}) that never shrinks and covers every page written. Each page starts with its frame_no and
 * page_no (big-endian) so a misplaced page is easy to spot. Deterministic for a given {@link Random} seed.
 * Stateless; thread-safe (the caller's Random is not).
 */
public final class TestSegments {

    /** Chance that a non-final frame commits, so segments also hold several transactions. */
    private static final int COMMIT_ONE_IN = 8;

    private TestSegments() {
    }

    /** One segment of {@code frames} frames starting at {@code startFrameNo}. */
    public static SealedSegment random(long startFrameNo, int frames, int pageSize, int maxPageNo, long sealedAtMs,
            Random random) {
        return build(startFrameNo, frames, pageSize, maxPageNo, sealedAtMs, random, 0,
                (frameNo, pageNo) -> page(pageSize, frameNo, pageNo, random));
    }

    /** Gives the bytes of the page a frame writes. */
    @FunctionalInterface
    public interface PageSource {
        byte[] page(long frameNo, int pageNo);
    }

    /**
     * One segment as {@link #random(long, int, int, int, long, Random)} on a database of {@code dbSize} pages before
     * it, whose page bytes come from {@code pages} (e.g. a pool of pre-generated pages, which a load generator uses so
     * it does not spend its CPU filling pages).
     */
    public static SealedSegment random(long startFrameNo, int frames, int pageSize, int maxPageNo, int dbSize,
            long sealedAtMs, Random random, PageSource pages) {
        return build(startFrameNo, frames, pageSize, maxPageNo, sealedAtMs, random, dbSize, pages);
    }

    /**
     * {@code count} contiguous segments ({@code next.start == prev.end + 1}) of {@code framesPerSegment} frames each,
     * the first starting at {@code startFrameNo}, sealed {@code firstSealedAtMs}, +1000 ms per segment.
     */
    public static List<SealedSegment> chain(int count, long startFrameNo, int framesPerSegment, int pageSize,
            int maxPageNo, long firstSealedAtMs, Random random) {
        List<SealedSegment> segments = new ArrayList<>(count);
        long next = startFrameNo;
        int dbSize = 0;
        for (int i = 0; i < count; i++) {
            SealedSegment s = build(next, framesPerSegment, pageSize, maxPageNo, firstSealedAtMs + 1000L * i, random,
                    dbSize, (frameNo, pageNo) -> page(pageSize, frameNo, pageNo, random));
            segments.add(s);
            next = s.endFrameNo() + 1;
            dbSize = s.sizeAfter();
        }
        return List.copyOf(segments);
    }

    private static SealedSegment build(long startFrameNo, int frames, int pageSize, int maxPageNo, long sealedAtMs,
            Random random, int initialDbSize, PageSource pages) {
        if (frames < 1 || maxPageNo < 1) {
            throw new IllegalArgumentException("Need frames >= 1 and maxPageNo >= 1, got " + frames + ", " + maxPageNo);
        }
        List<Frame> list = new ArrayList<>(frames);
        int dbSize = initialDbSize;
        for (int i = 0; i < frames; i++) {
            long frameNo = startFrameNo + i;
            int pageNo = 1 + random.nextInt(maxPageNo);
            dbSize = Math.max(dbSize, pageNo);
            boolean commit = i == frames - 1 || random.nextInt(COMMIT_ONE_IN) == 0;
            list.add(new Frame(pageNo, commit ? dbSize : 0, frameNo, pages.page(frameNo, pageNo)));
        }
        return SealedSegment.of(pageSize, sealedAtMs, list);
    }

    private static byte[] page(int pageSize, long frameNo, int pageNo, Random random) {
        byte[] page = new byte[pageSize];
        random.nextBytes(page);
        ByteBuffer.wrap(page).putLong(frameNo).putInt(pageNo);
        return page;
    }
}
