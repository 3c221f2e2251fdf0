package dev.fathom.worker;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@link PartitionState} of every partition currently assigned to this worker, each with a generation number
 * that changes whenever the partition's state is rebuilt. Not thread-safe; owned by the poll thread.
 */
final class AssignedPartitions {

    private final Map<Integer, PartitionState> states = new TreeMap<>();
    private long nextGeneration = 1;

    /** Starts fresh state for {@code partition} with the committed durable frames of its namespaces. */
    PartitionState assign(int partition, Map<String, Long> durable) {
        PartitionState state = new PartitionState(partition, nextGeneration++, durable);
        states.put(partition, state);
        return state;
    }

    /** Forgets {@code partition}'s state. */
    void remove(int partition) {
        states.remove(partition);
    }

    Optional<PartitionState> get(int partition) {
        return Optional.ofNullable(states.get(partition));
    }

    /** Returns whether {@code generation} is the current state of {@code partition} (a result may be committed). */
    boolean isCurrent(int partition, long generation) {
        PartitionState state = states.get(partition);
        return state != null && state.generation() == generation;
    }

    Collection<PartitionState> all() {
        return List.copyOf(states.values());
    }

    List<Integer> partitions() {
        return List.copyOf(states.keySet());
    }
}
