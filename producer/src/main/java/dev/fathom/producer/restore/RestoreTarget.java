package dev.fathom.producer.restore;

import java.time.Instant;
import java.util.Objects;

/**
 * Which state of a namespace to restore; the granularity is a segment boundary. Immutable values, thread-safe.
 */
public sealed interface RestoreTarget {

    /** The newest stored segment. */
    static RestoreTarget latest() {
        return new Latest();
    }

    /** The newest segment whose end frame is at most {@code frameNo}. */
    static RestoreTarget atFrame(long frameNo) {
        return new AtFrame(frameNo);
    }

    /** The newest segment sealed at or before {@code time}. */
    static RestoreTarget atTime(Instant time) {
        return new AtTime(time);
    }

    /** The newest stored segment. */
    record Latest() implements RestoreTarget {
    }

    /** The newest segment with end frame ≤ {@code frameNo}. */
    record AtFrame(long frameNo) implements RestoreTarget {
        /** Validates that the frame number is positive. */
        public AtFrame {
            if (frameNo < 1) {
                throw new IllegalArgumentException("Restore frame number must be >= 1, got " + frameNo);
            }
        }
    }

    /** The newest segment with sealed_at ≤ {@code time}. */
    record AtTime(Instant time) implements RestoreTarget {
        /** Validates that the time is present. */
        public AtTime {
            Objects.requireNonNull(time, "restore time");
        }
    }
}
