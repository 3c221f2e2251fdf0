package dev.fathom.schemas.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random segments for property-style tests: repeated page numbers, commits inside and at the end. */
final class RandomSegments {

    private RandomSegments() {
    }

    static SealedSegment random(Random random, long startFrameNo, int frameCount, int pageSize, int maxPageNo) {
        List<Frame> frames = new ArrayList<>(frameCount);
        int dbSize = 1 + random.nextInt(maxPageNo);
        for (int i = 0; i < frameCount; i++) {
            boolean last = i == frameCount - 1;
            int pageNo = 1 + random.nextInt(maxPageNo);
            int sizeAfter = 0;
            if (last || random.nextInt(4) == 0) {
                dbSize = Math.max(1, dbSize + random.nextInt(7) - 3);
                sizeAfter = dbSize;
            }
            byte[] page = new byte[pageSize];
            random.nextBytes(page);
            frames.add(new Frame(pageNo, sizeAfter, startFrameNo + i, page));
        }
        return SealedSegment.of(pageSize, Math.abs(random.nextLong() % SegmentId.MAX_SEALED_AT_MS), frames);
    }
}
