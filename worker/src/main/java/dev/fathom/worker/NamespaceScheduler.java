package dev.fathom.worker;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Queues assembled segments per (partition, namespace) lane in arrival order and runs jobs on a pool of
 * {@code max.in.flight.jobs} threads: a lane hands out its next segment only when the previous one is finished
 * (uploaded with its records in the commit batch, acknowledged or refused), so one namespace's segments run strictly
 * one after another while different namespaces run concurrently. Also counts the backlog (segments and frame bytes assembled but not
 * finished). Not thread-safe; owned by the poll thread (jobs run on the pool but report through the completion queue).
 */
final class NamespaceScheduler implements AutoCloseable {

    private final int maxInFlight;
    private final ExecutorService executor;
    private final Map<Lane, ArrayDeque<AssembledSegment>> queued = new LinkedHashMap<>();
    private final Map<Lane, AssembledSegment> taken = new HashMap<>();
    private final Map<Lane, Future<?>> running = new HashMap<>();
    private long backlogBytes;
    private int backlogSegments;

    NamespaceScheduler(int maxInFlight, String threadPrefix) {
        this.maxInFlight = maxInFlight;
        this.executor = Executors.newFixedThreadPool(maxInFlight, threads(threadPrefix));
    }

    /** Queues {@code segment} behind the earlier segments of its lane. */
    void enqueue(AssembledSegment segment) {
        queued.computeIfAbsent(Lane.of(segment), lane -> new ArrayDeque<>()).addLast(segment);
        backlogBytes += segment.bytes();
        backlogSegments++;
    }

    /** Returns whether fewer than {@code max.in.flight.jobs} jobs are running. */
    boolean hasCapacity() {
        running.values().removeIf(Future::isDone);
        return running.size() < maxInFlight;
    }

    /**
     * Takes the next segment of a lane that has none in progress (lanes take turns), or empty. The lane stays busy
     * until {@link #finish}.
     */
    Optional<AssembledSegment> next() {
        Iterator<Map.Entry<Lane, ArrayDeque<AssembledSegment>>> lanes = queued.entrySet().iterator();
        while (lanes.hasNext()) {
            Map.Entry<Lane, ArrayDeque<AssembledSegment>> entry = lanes.next();
            if (taken.containsKey(entry.getKey())) {
                continue;
            }
            AssembledSegment head = entry.getValue().pollFirst();
            lanes.remove(); // re-added at the end below when more segments wait: lanes take turns
            if (!entry.getValue().isEmpty()) {
                queued.put(entry.getKey(), entry.getValue());
            }
            taken.put(entry.getKey(), head);
            return Optional.of(head);
        }
        return Optional.empty();
    }

    /** Runs {@code job} for {@code segment}, which must have come from {@link #next}. */
    void submit(AssembledSegment segment, Runnable job) {
        running.put(Lane.of(segment), executor.submit(job));
    }

    /** Marks {@code segment} finished: its lane may hand out the next segment, and it leaves the backlog. */
    void finish(AssembledSegment segment) {
        Lane lane = Lane.of(segment);
        if (taken.get(lane) == segment) {
            taken.remove(lane);
            running.remove(lane);
            backlogBytes -= segment.bytes();
            backlogSegments--;
        }
    }

    /** Forgets every lane of {@code partition}: cancels its running jobs and drops its queued segments. */
    void forgetPartition(int partition) {
        running.entrySet().removeIf(e -> e.getKey().partition() == partition && cancel(e.getValue()));
        taken.entrySet().removeIf(e -> e.getKey().partition() == partition && drop(e.getValue()));
        queued.entrySet().removeIf(e -> e.getKey().partition() == partition
                && e.getValue().stream().allMatch(this::drop));
    }

    /** Shows {@code action} every segment queued or in progress (for metrics; no change). */
    void forEachUnfinished(Consumer<AssembledSegment> action) {
        taken.values().forEach(action);
        queued.values().forEach(lane -> lane.forEach(action));
    }

    long backlogBytes() {
        return backlogBytes;
    }

    int backlogSegments() {
        return backlogSegments;
    }

    int runningJobs() {
        running.values().removeIf(Future::isDone);
        return running.size();
    }

    /** Interrupts running jobs (their uploads are idempotent, the next owner redoes them) and stops the pool. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean cancel(Future<?> job) {
        job.cancel(true);
        return true;
    }

    private boolean drop(AssembledSegment segment) {
        backlogBytes -= segment.bytes();
        backlogSegments--;
        return true;
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One namespace's segments within one partition. */
    private record Lane(int partition, String namespace) {
        static Lane of(AssembledSegment segment) {
            return new Lane(segment.partition(), segment.namespace());
        }
    }
}
