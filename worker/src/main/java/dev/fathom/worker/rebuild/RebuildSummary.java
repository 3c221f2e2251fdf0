package dev.fathom.worker.rebuild;

import java.time.Duration;
import java.util.List;

/**
 * What a rebuild did, namespace by namespace. Immutable and thread-safe.
 *
 * @param namespaces one entry per namespace considered, in the order processed
 * @param duration   wall time of the rebuild
 */
public record RebuildSummary(List<NamespaceRebuild> namespaces, Duration duration) {

    public RebuildSummary {
        namespaces = List.copyOf(namespaces);
    }

    /** Returns how many namespaces ended with {@code outcome}. */
    public long count(NamespaceRebuild.Outcome outcome) {
        return namespaces.stream().filter(n -> n.outcome() == outcome).count();
    }

    /** Returns how many catalog records were published in all. */
    public long segmentsPublished() {
        return namespaces.stream().mapToLong(NamespaceRebuild::segmentsPublished).sum();
    }

    /** Returns the namespaces published only up to a gap, an overlap or an unreadable object. */
    public List<NamespaceRebuild> incomplete() {
        return namespaces.stream().filter(n -> n.problem() != null).toList();
    }
}
