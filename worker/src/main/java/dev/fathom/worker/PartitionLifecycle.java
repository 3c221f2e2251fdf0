package dev.fathom.worker;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and drops per-partition state as partitions come and go. On assignment it loads the committed durable
 * frames of the new partitions before any of their segments is processed; on revocation or loss it drops the state of
 * those partitions only (in-flight jobs cancelled, their results never committed by us: the next owner redoes them,
 * which is idempotent). {@link #rewind} does the same for every assigned partition after a failed commit and seeks
 * back to the committed offsets. Not thread-safe; called on the poll thread (inside poll for the callbacks).
 */
final class PartitionLifecycle implements ConsumerRebalanceListener {

    private static final Logger log = LoggerFactory.getLogger(PartitionLifecycle.class);

    private final PipelineState state;
    private final DurableFrameLoader loader;

    PartitionLifecycle(PipelineState state, DurableFrameLoader loader) {
        this.state = state;
        this.loader = loader;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Set<Integer> numbers = numbers(partitions);
        Map<Integer, Map<String, Long>> durable = loader.load(numbers);
        numbers.forEach(p -> state.partitions().assign(p, durable.get(p)));
        log.info("Assigned partitions {} of the segments topic; their durable frames are loaded", numbers);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            numbers(partitions).forEach(state::forget);
            log.info("Partitions {} were revoked; dropped their unfinished segments, the next owner redoes them",
                    numbers(partitions));
        }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            numbers(partitions).forEach(state::forget);
            log.warn("Partitions {} were lost (this worker left the group); dropped their unfinished segments",
                    numbers(partitions));
        }
    }

    /**
     * Rebuilds the state of every assigned partition from what is committed: drops in-flight work, reloads durable
     * frames and seeks the consumer back to the committed offsets, so the uncommitted work is redone.
     */
    void rewind(Consumer<String, byte[]> consumer) {
        Set<TopicPartition> assigned = consumer.assignment();
        List<Integer> numbers = List.copyOf(numbers(assigned));
        numbers.forEach(state::forget);
        Map<Integer, Map<String, Long>> durable = loader.load(numbers);
        numbers.forEach(p -> state.partitions().assign(p, durable.get(p)));
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
        for (TopicPartition tp : assigned) {
            OffsetAndMetadata offset = committed.get(tp);
            if (offset == null) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, offset);
            }
        }
        log.warn("Rewound partitions {} to their committed offsets {}; their uncommitted segments are redone",
                numbers, committed.values().stream().map(o -> o == null ? "none" : Long.toString(o.offset()))
                        .toList());
    }

    private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).collect(Collectors.toCollection(TreeSet::new));
    }
}
