package dev.fathom.bench;

import dev.fathom.schemas.format.Frame;
import dev.fathom.schemas.format.SealedSegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Builds the segments of a database whose every page 1..N is written exactly once, in order (what a restore must
 * reproduce; random page numbers would leave holes the restorer rightly rejects). Stateless.
 */
final class DatabaseChain {

    private DatabaseChain() {
    }

    static List<SealedSegment> of(int pages, int pageSize, int framesPerSegment, long sealedAtMs) {
        Random random = new Random(7);
        List<SealedSegment> segments = new ArrayList<>();
        List<Frame> frames = new ArrayList<>(framesPerSegment);
        for (int pageNo = 1; pageNo <= pages; pageNo++) {
            byte[] page = new byte[pageSize];
            random.nextBytes(page);
            boolean commit = frames.size() == framesPerSegment - 1 || pageNo == pages;
            frames.add(new Frame(pageNo, commit ? pageNo : 0, pageNo, page));
            if (commit) {
                segments.add(SealedSegment.of(pageSize, sealedAtMs + segments.size(), frames));
                frames = new ArrayList<>(framesPerSegment);
            }
        }
        return segments;
    }
}
