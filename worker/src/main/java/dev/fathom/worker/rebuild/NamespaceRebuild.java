package dev.fathom.worker.rebuild;

import java.util.Optional;

/**
 * What the rebuild did for one namespace. Immutable and thread-safe.
 *
 * @param namespace              the namespace
 * @param outcome                published, already up to date, or nothing publishable
 * @param previousDurableFrameNo durable frame found in the meta topic before the rebuild (0 = none)
 * @param durableFrameNo         durable frame in the meta topic after the rebuild
 * @param segmentsStored         complete segments (.seg and .idx) in the bucket
 * @param segmentsPublished      catalog records published (the contiguous chain from frame 1)
 * @param problem                why the namespace was published only up to a frame before its newest segment (a
 *                               gap, an overlap, a corrupt or vanished object), or null
 */
public record NamespaceRebuild(String namespace, Outcome outcome, long previousDurableFrameNo, long durableFrameNo,
                               int segmentsStored, int segmentsPublished, String problem) {

    /** What happened to a namespace. */
    public enum Outcome {
        /** Catalog records and a higher durable frame were committed. */
        PUBLISHED,
        /** The meta topic already had a durable frame at least as far as the bucket's chain; nothing was written. */
        UP_TO_DATE,
        /** No segment starting at frame 1 could be read, so no frame can be declared durable; nothing was written. */
        NOTHING_TO_PUBLISH
    }

    /** Returns the problem that stopped the chain early, if any. */
    public Optional<String> stoppedBy() {
        return Optional.ofNullable(problem);
    }
}
