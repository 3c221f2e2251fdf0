package dev.fathom.faults;

import dev.fathom.schemas.format.Frame;
import dev.fathom.schemas.format.SealedSegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One namespace of the load: produces its next contiguous segment and remembers the newest version of every page, so
 * the end of the run knows the exact bytes a restore must produce. The first segment writes every page (a restore
 * needs all pages up to size_after); later ones rewrite random pages and end on a commit frame. Not thread-safe;
 * owned by the load thread (read by the checker after the load stopped).
 */
final class ExpectedDatabase {

    static final int PAGE_SIZE = 1024;
    static final int PAGES = 16;
    private static final int FRAMES_PER_SEGMENT = 12;

    private final String namespace;
    private final byte[][] pages = new byte[PAGES][];
    private final List<SealedSegment> segments = new ArrayList<>();
    private long nextFrameNo = 1;

    ExpectedDatabase(String namespace) {
        this.namespace = namespace;
    }

    String namespace() {
        return namespace;
    }

    /** Builds, records and returns the next segment, sealed at {@code sealedAtMs}. */
    SealedSegment next(Random random, long sealedAtMs) {
        List<Frame> frames = new ArrayList<>();
        int count = segments.isEmpty() ? PAGES : FRAMES_PER_SEGMENT;
        for (int i = 0; i < count; i++) {
            int pageNo = segments.isEmpty() ? i + 1 : 1 + random.nextInt(PAGES);
            long frameNo = nextFrameNo++;
            byte[] page = new byte[PAGE_SIZE];
            random.nextBytes(page);
            ByteBuffer.wrap(page).putLong(frameNo).putInt(pageNo);
            boolean commit = i == count - 1 || random.nextInt(6) == 0;
            frames.add(new Frame(pageNo, commit ? PAGES : 0, frameNo, page));
            pages[pageNo - 1] = page;
        }
        SealedSegment segment = SealedSegment.of(PAGE_SIZE, sealedAtMs, frames);
        segments.add(segment);
        return segment;
    }

    /** Every segment produced so far, in frame order. */
    List<SealedSegment> segments() {
        return List.copyOf(segments);
    }

    long lastFrameNo() {
        return nextFrameNo - 1;
    }

    /** The database file a restore to the latest segment must produce. */
    byte[] expectedFile() {
        ByteBuffer file = ByteBuffer.allocate(PAGES * PAGE_SIZE);
        for (byte[] page : pages) {
            file.put(page);
        }
        return file.array();
    }
}
