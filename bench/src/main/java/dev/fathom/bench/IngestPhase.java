package dev.fathom.bench;

import dev.fathom.producer.FathomStorage;
import dev.fathom.schemas.format.SealedSegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** One ingest phase of the bench: store() → durable callback over some namespaces, closed loop or paced. */
final class IngestPhase {

    private static final int IN_FLIGHT = 32;
    /** Random frames write pages 1..4096: a 16 MiB database per namespace, so segments rewrite some pages. */
    private static final int MAX_PAGE_NO = 4096;

    private IngestPhase() {
    }

    /** Store→durable figures of one ingest phase. */
    record Result(long bytes, double seconds, List<Long> lagsNanos, double cpuMsPerMib, double jitMsPerMib) {
        double mibS() {
            return bytes / BenchMain.MIB / seconds;
        }

        double percentileMs(int p) {
            List<Long> sorted = new ArrayList<>(lagsNanos);
            sorted.sort(null);
            if (sorted.isEmpty()) {
                return 0;
            }
            int i = (int) Math.min(sorted.size() - 1, Math.ceil(p / 100.0 * sorted.size()) - 1);
            return sorted.get(Math.max(0, i)) / 1e6;
        }
    }

    /**
     * Stores segments of {@code frames} random pages round-robin over {@code namespaces} for {@code duration}, at
     * most IN_FLIGHT not yet durable (closed loop), or paced at {@code rateMibS} when > 0; waits until every one is
     * durable.
     */
    static Result run(FathomStorage storage, BenchTarget target, WalGenerator wal, int frames, String prefix,
                         int namespaces, Duration duration, double rateMibS) throws InterruptedException {
        long[] next = new long[namespaces];
        int[] dbSize = new int[namespaces];
        Arrays.fill(next, 1);
        Semaphore window = new Semaphore(IN_FLIGHT);
        ConcurrentLinkedQueue<Long> lags = new ConcurrentLinkedQueue<>();
        AtomicLong durableBytes = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CpuMeter cpu = CpuMeter.start();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long sent = 0;
        int n = 0;
        while (System.nanoTime() < end && failure.get() == null) {
            int ns = n++ % namespaces;
            SealedSegment s = wal.randomPages(next[ns], frames, MAX_PAGE_NO, dbSize[ns], System.currentTimeMillis());
            next[ns] = s.endFrameNo() + 1;
            dbSize[ns] = s.sizeAfter();
            if (rateMibS > 0) {
                long due = start + (long) (sent / BenchMain.MIB / rateMibS * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait); // pacing the offered load, not synchronisation
                }
            }
            window.acquire();
            long bytes = s.frameBytes();
            long t0 = System.nanoTime();
            storage.store(target.namespace(prefix + "-" + ns), s, target.profile().name(), (durable, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                } else {
                    lags.add(System.nanoTime() - t0);
                    durableBytes.addAndGet(bytes);
                }
                window.release();
            });
            sent += bytes;
        }
        if (!window.tryAcquire(IN_FLIGHT, 5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("Ingest phase '" + prefix + "': segments not durable after 5 minutes");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("Ingest phase '" + prefix + "' failed", failure.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(durableBytes.get(), seconds, new ArrayList<>(lags), cpu.msPerMib(durableBytes.get()),
                cpu.jitMsPerMib(durableBytes.get()));
    }

}
