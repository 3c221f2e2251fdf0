package dev.fathom.producer.agent;

/**
 * One entry of a database's persisted frame mapping: after Fathom frame {@code frameNo} (the end of a sealed segment,
 * always a commit), the WAL is at {@code cursor}. A restart resumes at the point whose frame is the namespace's last
 * stored frame. Immutable; thread-safe.
 *
 * @param frameNo the last Fathom frame number assigned before this point (0 before any)
 * @param cursor where the WAL is right after that frame
 */
public record ResumePoint(long frameNo, WalCursor cursor) {

    public ResumePoint {
        if (frameNo < 0) {
            throw new IllegalArgumentException("frameNo must be >= 0, was " + frameNo);
        }
    }
}
