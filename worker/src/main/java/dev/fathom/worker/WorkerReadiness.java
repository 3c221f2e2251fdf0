package dev.fathom.worker;

import dev.fathom.worker.meta.MetaService;
import dev.fathom.worker.meta.ReadinessReport;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether the worker is ready to do its job ({@code GET /ready}): the segments consumer is a member of its
 * group, Kafka Streams is RUNNING, and every storage profile's bucket answers. A member that owns no partition is
 * ready: with more workers than partitions the spare ones still answer the HTTP API and take over on a rebalance.
 * Liveness stays with {@code GET /health}. Thread-safe; called by the HTTP threads.
 */
final class WorkerReadiness {

    private final WorkerMetrics metrics;
    private final MetaService meta;
    private final BucketProbe buckets;
    private final String groupId;

    WorkerReadiness(WorkerMetrics metrics, MetaService meta, BucketProbe buckets, String groupId) {
        this.metrics = metrics;
        this.meta = meta;
        this.buckets = buckets;
        this.groupId = groupId;
    }

    /** Runs every check (bucket probes are cached for {@link BucketProbe#CACHE_FOR}). */
    ReadinessReport evaluate() {
        List<ReadinessReport.Check> checks = new ArrayList<>();
        LoopSample loop = metrics.loop();
        checks.add(loop.joined()
                ? new ReadinessReport.Check("consumer", true, "member of consumer group " + groupId + ", owning "
                        + loop.assignedPartitions() + " partitions of the segments topic")
                : new ReadinessReport.Check("consumer", false, "not a member of consumer group " + groupId
                        + " (still joining, dropped out of the group, or the segment loop stopped)"));
        String streams = meta.streamsState();
        checks.add(streams.equals("RUNNING")
                ? new ReadinessReport.Check("streams", true, "Kafka Streams is RUNNING")
                : new ReadinessReport.Check("streams", false, "Kafka Streams is " + streams
                        + ", not RUNNING (starting, rebalancing or restoring the meta and catalog stores)"));
        checks.addAll(buckets.check());
        return new ReadinessReport(checks);
    }
}
