package dev.fathom.worker;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Takes a {@link LoopSample} of the segment loop at most every {@link #INTERVAL} and publishes it to
 * {@link WorkerMetrics}: the gauges and the readiness check then read an immutable snapshot instead of the poll
 * thread's state. Segment lag uses {@link Consumer#currentLag}, which answers from the last fetch without a request.
 * Not thread-safe; owned by the poll thread.
 */
final class LoopSampler {

    /** Often enough for a 15 s scrape and a readiness probe; rare enough to cost nothing in a 20 ms poll loop. */
    static final Duration INTERVAL = Duration.ofMillis(500);

    private final WorkerMetrics metrics;
    private final String segmentsTopic;
    private final Clock clock;
    private long nextAtMs = Long.MIN_VALUE;

    LoopSampler(WorkerMetrics metrics, String segmentsTopic, Clock clock) {
        this.metrics = metrics;
        this.segmentsTopic = segmentsTopic;
        this.clock = clock;
    }

    /** Publishes a new sample when the last one is older than {@link #INTERVAL}. */
    void sample(Consumer<?, ?> consumer, PipelineState state) {
        long now = clock.millis();
        if (now < nextAtMs) {
            return;
        }
        nextAtMs = now + INTERVAL.toMillis();
        NamespaceScheduler scheduler = state.scheduler();
        FrameLag frames = frameLag(state);
        metrics.publish(new LoopSample(consumer.groupMetadata().generationId() > 0,
                state.partitions().partitions().size(), consumer.paused().size(), scheduler.runningJobs(),
                scheduler.backlogBytes(), scheduler.backlogSegments(), segmentLag(consumer, state), frames.sum(),
                frames.max(), frames.namespaces()));
    }

    /** Per owned partition: records not fetched yet plus records fetched but not finished. */
    private Map<Integer, Long> segmentLag(Consumer<?, ?> consumer, PipelineState state) {
        Map<Integer, Long> lag = new HashMap<>();
        for (PartitionState partition : state.partitions().all()) {
            OptionalLong unfetched = consumer.currentLag(new TopicPartition(segmentsTopic, partition.partition()));
            if (unfetched.isPresent()) { // unknown until the first fetch of the partition
                lag.put(partition.partition(), unfetched.getAsLong() + partition.offsets().pendingCount());
            }
        }
        return lag;
    }

    /** Aggregates (newest end frame waiting - durable frame no) over namespaces; never per namespace (cardinality). */
    private static FrameLag frameLag(PipelineState state) {
        Map<Lane, Long> newest = new HashMap<>();
        state.scheduler().forEachUnfinished(segment -> newest.merge(new Lane(segment.partition(),
                segment.namespace()), segment.source().endFrameNo(), Math::max));
        long sum = 0;
        long max = 0;
        int namespaces = 0;
        for (Map.Entry<Lane, Long> entry : newest.entrySet()) {
            Lane lane = entry.getKey();
            long durable = state.partitions().get(lane.partition())
                    .map(p -> p.durableFrameNo(lane.namespace())).orElse(0L);
            long lag = entry.getValue() - durable;
            if (lag > 0) { // a replay waiting to be acknowledged is not behind
                sum += lag;
                max = Math.max(max, lag);
                namespaces++;
            }
        }
        return new FrameLag(sum, max, namespaces);
    }

    private record Lane(int partition, String namespace) {
    }

    private record FrameLag(long sum, long max, int namespaces) {
    }
}
