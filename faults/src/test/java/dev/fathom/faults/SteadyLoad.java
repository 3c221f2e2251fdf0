package dev.fathom.faults;

import dev.fathom.producer.FathomStorage;
import dev.fathom.schemas.format.SealedSegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The steady multi-namespace load: every {@code interval} stores the next segment of each namespace through the
 * producer library ({@link FathomStorage#store}) and records, from the durability callbacks, which segments became
 * durable and how long after {@code store} they did. Thread-safe: one scheduler thread stores, callbacks arrive on
 * the library's threads; {@link #stop} ends the storing and the owner closes the storage.
 */
final class SteadyLoad {

    private final FathomStorage storage;
    private final List<ExpectedDatabase> databases = new ArrayList<>();
    private final Random random;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "faults-load");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Long> durable = new ConcurrentHashMap<>();
    private final List<Long> latenciesMs = Collections.synchronizedList(new ArrayList<>());
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger stored = new AtomicInteger();
    private final AtomicInteger durableSegments = new AtomicInteger();

    SteadyLoad(FathomStorage storage, int namespaces, long seed) {
        this.storage = storage;
        this.random = new Random(seed);
        for (int i = 0; i < namespaces; i++) {
            databases.add(new ExpectedDatabase("faults-db-" + i));
        }
    }

    /** Starts storing one segment per namespace every {@code interval}. */
    void start(Duration interval) {
        scheduler.scheduleAtFixedRate(this::storeRound, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops storing (a round in progress finishes first). */
    void stop() {
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("The load thread did not stop within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the load", e);
        }
    }

    private void storeRound() {
        for (ExpectedDatabase db : databases) {
            SealedSegment segment = db.next(random, System.currentTimeMillis());
            long storedAt = System.nanoTime();
            long end = segment.endFrameNo();
            try {
                storage.store(db.namespace(), segment, "default", (frame, failure) -> {
                    if (failure != null) {
                        failures.add(segment.id().format() + " of " + db.namespace() + ": " + failure);
                        return;
                    }
                    durable.merge(db.namespace(), frame, Math::max);
                    durableSegments.incrementAndGet();
                    latenciesMs.add((System.nanoTime() - storedAt) / 1_000_000);
                });
                stored.incrementAndGet();
            } catch (RuntimeException e) {
                failures.add("store of " + segment.id().format() + " of " + db.namespace() + " (end " + end
                        + ") threw " + e);
            }
        }
    }

    List<ExpectedDatabase> databases() {
        return List.copyOf(databases);
    }

    int stored() {
        return stored.get();
    }

    int durableSegments() {
        return durableSegments.get();
    }

    /** The durable frame each namespace's callbacks reported last. */
    Map<String, Long> durable() {
        return Map.copyOf(durable);
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    /** Milliseconds from store to the durability callback, one per durable segment, sorted. */
    List<Long> latenciesMs() {
        List<Long> copy;
        synchronized (latenciesMs) {
            copy = new ArrayList<>(latenciesMs);
        }
        Collections.sort(copy);
        return copy;
    }

    /** Whether every stored segment's callback reported it durable. */
    boolean allDurable() {
        return databases.stream().allMatch(db -> durable.getOrDefault(db.namespace(), 0L) >= db.lastFrameNo());
    }
}
