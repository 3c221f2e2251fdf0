package dev.fathom.bench;

import dev.fathom.producer.FathomStorage;
import dev.fathom.producer.FathomStorageConfig;
import dev.fathom.producer.storage.StorageProfile;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.TestSegments;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Issue 6 item 6: what one idle namespace costs the worker's heap. Measures the used heap after full GCs, makes
 * {@code namespaces} new namespaces durable (one small segment each) through a producer opened for the purpose,
 * closes that producer (its own per-namespace state must not count), and measures again. The difference divided
 * by the namespace count is what the worker (partition state, scheduler lanes, Streams caches, meta loader) keeps
 * per namespace it has seen. Off-heap state (RocksDB behind the Streams stores) is not in this figure.
 * Single-threaded driver; not thread-safe.
 */
final class IdleNamespaceBench {

    private static final int IN_FLIGHT = 256;
    private static final int STABLE_GC_ROUNDS = 5;

    record Result(int namespaces, long heapBeforeBytes, long heapAfterBytes) {
        double bytesPerNamespace() {
            return (heapAfterBytes - heapBeforeBytes) / (double) namespaces;
        }
    }

    private IdleNamespaceBench() {
    }

    static Result run(Map<String, Object> storageConfig, int namespaces) throws InterruptedException {
        long before = settledHeap();
        try (FathomStorage storage = FathomStorage.start(new FathomStorageConfig(storageConfig))) {
            Semaphore window = new Semaphore(IN_FLIGHT);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Random random = new Random(17);
            for (int i = 0; i < namespaces && failure.get() == null; i++) {
                // One 512-byte page: the smallest real segment, so the figure is state per namespace, not data.
                SealedSegment s = TestSegments.random(1, 1, 512, 1, System.currentTimeMillis(), random);
                window.acquire();
                storage.store("idle-" + i, s, StorageProfile.DEFAULT_NAME, (durable, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                    window.release();
                });
            }
            if (!window.tryAcquire(IN_FLIGHT, 10, TimeUnit.MINUTES)) {
                throw new IllegalStateException(namespaces + " idle namespaces not durable after 10 minutes");
            }
            if (failure.get() != null) {
                throw new IllegalStateException("Idle namespace phase failed", failure.get());
            }
        }
        return new Result(namespaces, before, settledHeap());
    }

    /**
     * Used heap after full GCs, taken when two consecutive rounds agree within 1 %, so a collection still releasing
     * the producer's buffers does not end up in the figure.
     */
    private static long settledHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long previous = Long.MAX_VALUE;
        long used = 0;
        for (int round = 0; round < STABLE_GC_ROUNDS; round++) {
            memory.gc();
            used = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(used - previous) < previous / 100) {
                break;
            }
            previous = used;
        }
        return used;
    }
}
