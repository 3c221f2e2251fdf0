package dev.fathom.producer.agent;

import dev.fathom.producer.SegmentBuilder;
import dev.fathom.schemas.format.SealedSegment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Collects whole committed transactions of one database, numbering their frames contiguously, until the
 * {@link SealPolicy} says to seal them into a segment. Every seal therefore ends on a commit frame. Not thread-safe;
 * owned by the database's tailer.
 */
final class SegmentCollector {

    private final SealPolicy policy;
    private final SegmentBuilder builder;
    private long pageBytes;
    private Instant oldest;

    /** Starts collecting frames numbered from {@code nextFrameNo}. */
    SegmentCollector(int pageSize, long nextFrameNo, SealPolicy policy) {
        this.policy = policy;
        this.builder = new SegmentBuilder(pageSize, nextFrameNo);
    }

    /**
     * Adds one or more whole transactions (WAL order, the last frame a commit) read at {@code readAt}.
     *
     * @throws IllegalArgumentException when the frames do not end on a commit or a page has the wrong size
     */
    void add(List<WalFrame> transactions, Instant readAt) {
        if (transactions.isEmpty()) {
            return;
        }
        if (!transactions.get(transactions.size() - 1).isCommit()) {
            throw new IllegalArgumentException("Frames added to a segment must end on a commit frame; WAL frame "
                    + transactions.get(transactions.size() - 1).index() + " is not one");
        }
        for (WalFrame frame : transactions) {
            builder.addFrame(frame.pageNo(), frame.commitSize(), frame.page());
        }
        pageBytes += (long) transactions.size() * builder.pageSize();
        if (oldest == null) {
            oldest = readAt;
        }
    }

    /** Returns true when the collected frames must be sealed at {@code now}. */
    boolean isDue(Instant now) {
        return oldest != null && policy.isDue(pageBytes, Duration.between(oldest, now));
    }

    /** Returns true when nothing is collected. */
    boolean isEmpty() {
        return builder.frameCount() == 0;
    }

    /** Returns the frame number the next added frame gets; the last collected frame is this minus 1. */
    long nextFrameNo() {
        return builder.nextFrameNo();
    }

    /** Returns the page size of the frames. */
    int pageSize() {
        return builder.pageSize();
    }

    /** Seals the collected frames into a segment sealed at {@code sealedAt}; the next frame continues after it. */
    SealedSegment seal(Instant sealedAt) {
        SealedSegment segment = builder.seal(sealedAt);
        pageBytes = 0;
        oldest = null;
        return segment;
    }
}
