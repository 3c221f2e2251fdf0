package dev.fathom.bench;

import dev.fathom.cli.DevEndpoints;
import dev.fathom.cli.DevSettings;
import dev.fathom.cli.DevStack;
import dev.fathom.cli.StartupProgress;
import dev.fathom.producer.FathomStorage;
import dev.fathom.producer.FathomStorageConfig;
import dev.fathom.producer.restore.FathomReader;
import dev.fathom.producer.restore.RestoreTarget;
import dev.fathom.producer.storage.S3Clients;
import dev.fathom.producer.storage.StorageProfile;
import dev.fathom.schemas.format.SealedSegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.config.types.Password;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Runs every measurement of issue 6 against one DevStack (real KRaft broker, S3Proxy, one worker) and prints a
 * table plus a JSON file. Usage: {@code BenchMain [--duration 30s] [--restore-mib 64] [--segment-mib 4]
 * [--many-namespaces]
 * [--idle-namespaces 10000] [--out bench-result.json] [--data-dir DIR]}. Single-threaded driver; not thread-safe.
 */
public final class BenchMain {

    static final double MIB = 1024.0 * 1024.0;
    private static final int PAGE_SIZE = 4096;
    private static final int IN_FLIGHT = 32;
    private static final String WARMUP_PREFIX = "warmup";
    private static final int RESTORE_TRIALS = 3;
    /** Random frames write pages 1..4096: a 16 MiB database per namespace, so segments rewrite some pages. */
    private static final int MAX_PAGE_NO = 4096;

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args);
        Map<String, Object> result = run(options);
        System.out.println(BenchReport.table(result));
        System.out.println("Wrote " + options.out().toAbsolutePath());
        System.exit(0);
    }

    /** Runs every measurement and writes the JSON result file; returns the figures by name. */
    public static Map<String, Object> run(BenchOptions o) throws Exception {
        if (o.dataDir() != null) {
            return measure(o, o.dataDir());
        }
        Path dir = Files.createTempDirectory("fathom-bench");
        try {
            return measure(o, dir);
        } finally {
            // The raw baselines alone write GiBs (a 30 s phase at a few hundred MiB/s): never leave them in /tmp.
            deleteTree(dir);
        }
    }

    private static Map<String, Object> measure(BenchOptions o, Path dir) throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        try (DevStack stack = DevStack.start(new DevSettings(dir, 0, 0, 0, "fathom-bench", 3),
                StartupProgress.silent())) {
            DevEndpoints e = stack.endpoints();
            StorageProfile profile = new StorageProfile(StorageProfile.DEFAULT_NAME, e.bucket(), "", e.s3Endpoint(),
                    "us-east-1", true, e.accessKey(), new Password(e.secretKey()));
            int frames = o.segmentMib() * (1 << 20) / PAGE_SIZE;
            WalGenerator wal = new WalGenerator(PAGE_SIZE, 42);
            if (!o.warmup().isZero()) {
                // Unmeasured: compiles the producer, broker, worker, SDK and S3Proxy paths every phase uses.
                try (FathomStorage storage = FathomStorage.start(new FathomStorageConfig(storageConfig(e)))) {
                    ingest(storage, wal, frames, WARMUP_PREFIX, 10, o.warmup(), 0);
                }
            }
            RawKafkaBench.Result kafka = RawKafkaBench.run(e.bootstrapServers(), o.duration());
            r.put("raw_kafka_produce_mib_s", kafka.produceMibS());
            r.put("raw_kafka_consume_mib_s", kafka.consumeMibS());
            r.put("raw_kafka_cpu_ms_per_mib", kafka.cpuMsPerMib());
            try (S3Client s3 = S3Clients.create(profile)) {
                RawS3Bench.Result raw = RawS3Bench.run(s3, e.bucket(), o.duration());
                r.put("raw_s3_put_mib_s", raw.putMibS());
                r.put("raw_s3_get_mib_s", raw.getMibS());
                r.put("raw_s3_put_cpu_ms_per_mib", raw.putCpuMsPerMib());
                r.put("raw_s3_get_cpu_ms_per_mib", raw.getCpuMsPerMib());
                r.put("segment_mib", o.segmentMib());
                try (FathomStorage storage = FathomStorage.start(new FathomStorageConfig(storageConfig(e)))) {
                    Ingest one = ingest(storage, wal, frames, "one", 1, o.duration(), 0);
                    r.put("ingest_1ns_mib_s", one.mibS());
                    r.put("ingest_1ns_cpu_ms_per_mib", one.cpuMsPerMib());
                    r.put("ingest_1ns_jit_ms_per_mib", one.jitMsPerMib());
                    Ingest hundred = ingest(storage, wal, frames, "hundred", 100, o.duration(), 0);
                    r.put("ingest_100ns_mib_s", hundred.mibS());
                    r.put("ingest_100ns_cpu_ms_per_mib", hundred.cpuMsPerMib());
                    r.put("ingest_100ns_jit_ms_per_mib", hundred.jitMsPerMib());
                    long walBytes = one.bytes() + hundred.bytes();
                    if (o.manyNamespaces()) {
                        Ingest many = ingest(storage, wal, frames, "many", 10_000, o.duration(), 0);
                        r.put("ingest_10000ns_mib_s", many.mibS());
                        r.put("ingest_10000ns_cpu_ms_per_mib", many.cpuMsPerMib());
                        walBytes += many.bytes();
                    }
                    double halfRate = Math.max(one.mibS(), hundred.mibS()) / 2;
                    // Same shape as the best ingest phase (100 namespaces), offered half of its saturation.
                    Ingest paced = ingest(storage, wal, frames, "lag", 100, o.duration(), halfRate);
                    r.put("lag_rate_mib_s", halfRate);
                    r.put("lag_p50_ms", paced.percentileMs(50));
                    r.put("lag_p95_ms", paced.percentileMs(95));
                    r.put("lag_p99_ms", paced.percentileMs(99));
                    walBytes += paced.bytes();
                    // Counted before the restore database is stored: its bytes are not part of walBytes.
                    long[] stored = storedObjects(s3, e.bucket());
                    r.put("wal_bytes", walBytes);
                    r.put("s3_puts_per_gib_wal", stored[0] / (walBytes / (MIB * 1024)));
                    r.put("compaction_ratio", stored[1] / (double) walBytes);
                    storeDatabase(storage, wal, frames, "restore-db", o.restoreMib());
                }
                // Before the idle-namespace phase, whose forced full GCs and 10 000 new namespaces are not the
                // restore's to pay for.
                double[] restore = restore(e, dir.resolve("restored.db"));
                r.put("restore_mib_s", restore[0]);
                r.put("restore_cpu_ms_per_mib", restore[1]);
                IdleNamespaceBench.Result idle = IdleNamespaceBench.run(storageConfig(e), o.idleNamespaces());
                r.put("idle_namespaces", idle.namespaces());
                r.put("heap_per_idle_namespace_bytes", idle.bytesPerNamespace());
            }
            r.put("ingest_ratio", Math.max((double) r.get("ingest_1ns_mib_s"), (double) r.get("ingest_100ns_mib_s"))
                    / Math.min(kafka.produceMibS(), (double) r.get("raw_s3_put_mib_s")));
            r.put("restore_ratio", (double) r.get("restore_mib_s") / (double) r.get("raw_s3_get_mib_s"));
            // What every core of this machine could ingest if a MiB cost only its raw produce + consume + PUT: the
            // ceiling when broker, S3 server, worker and client share the cores, as they do here.
            r.put("ingest_cpu_bound_mib_s", Runtime.getRuntime().availableProcessors() * 1000.0
                    / ((double) r.get("raw_kafka_cpu_ms_per_mib") + (double) r.get("raw_s3_put_cpu_ms_per_mib")));
        }
        Files.writeString(o.out(), BenchReport.json(r));
        return r;
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Map<String, Object> storageConfig(DevEndpoints e) {
        Map<String, Object> p = new HashMap<>();
        p.put(FathomStorageConfig.BOOTSTRAP_SERVERS_CONFIG, e.bootstrapServers());
        p.put(FathomStorageConfig.NODE_ID_CONFIG, "bench-node");
        p.put(StorageProfile.PROFILES_CONFIG, StorageProfile.DEFAULT_NAME);
        p.put(StorageProfile.key(StorageProfile.DEFAULT_NAME, "bucket"), e.bucket());
        p.put(StorageProfile.key(StorageProfile.DEFAULT_NAME, "endpoint"), e.s3Endpoint().toString());
        p.put(StorageProfile.key(StorageProfile.DEFAULT_NAME, "region"), "us-east-1");
        p.put(StorageProfile.key(StorageProfile.DEFAULT_NAME, "path.style"), "true");
        p.put(StorageProfile.key(StorageProfile.DEFAULT_NAME, "access.key"), e.accessKey());
        p.put(StorageProfile.key(StorageProfile.DEFAULT_NAME, "secret.key"), e.secretKey());
        return p;
    }

    /** Store→durable figures of one ingest phase. */
    record Ingest(long bytes, double seconds, List<Long> lagsNanos, double cpuMsPerMib, double jitMsPerMib) {
        double mibS() {
            return bytes / MIB / seconds;
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
    static Ingest ingest(FathomStorage storage, WalGenerator wal, int frames, String prefix, int namespaces,
                         Duration duration, double rateMibS) throws InterruptedException {
        long[] next = new long[namespaces];
        int[] dbSize = new int[namespaces];
        java.util.Arrays.fill(next, 1);
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
                long due = start + (long) (sent / MIB / rateMibS * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait); // pacing the offered load, not synchronisation
                }
            }
            window.acquire();
            long bytes = s.frameBytes();
            long t0 = System.nanoTime();
            storage.store(prefix + "-" + ns, s, StorageProfile.DEFAULT_NAME, (durable, error) -> {
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
        return new Ingest(durableBytes.get(), seconds, new ArrayList<>(lags), cpu.msPerMib(durableBytes.get()),
                cpu.jitMsPerMib(durableBytes.get()));
    }

    /** Stores a database of {@code mib} MiB (every page written once) and waits until it is durable. */
    private static void storeDatabase(FathomStorage storage, WalGenerator wal, int frames, String namespace, int mib)
            throws InterruptedException {
        int pages = mib * (1 << 20) / PAGE_SIZE;
        List<SealedSegment> chain = wal.database(pages, frames, System.currentTimeMillis());
        Semaphore done = new Semaphore(0);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (SealedSegment s : chain) {
            storage.store(namespace, s, StorageProfile.DEFAULT_NAME, (durable, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
                done.release();
            });
        }
        if (!done.tryAcquire(chain.size(), 10, TimeUnit.MINUTES) || failure.get() != null) {
            throw new IllegalStateException("Database '" + namespace + "' not durable", failure.get());
        }
    }

    /**
     * Restores the bench's database RESTORE_TRIALS times (a 1 GiB restore lasts 2-3 s, short enough for one
     * background hiccup in this shared JVM to halve it); returns the median trial's {MiB/s, CPU ms per MiB}.
     */
    private static double[] restore(DevEndpoints e, Path target) throws Exception {
        List<double[]> trials = new ArrayList<>();
        try (FathomReader reader = FathomReader.fromConfig(new FathomStorageConfig(storageConfig(e)))) {
            for (int i = 0; i < RESTORE_TRIALS; i++) {
                CpuMeter cpu = CpuMeter.start();
                long t0 = System.nanoTime();
                reader.restore(target, "restore-db", RestoreTarget.latest(), StorageProfile.DEFAULT_NAME);
                double seconds = (System.nanoTime() - t0) / 1e9;
                long bytes = Files.size(target);
                trials.add(new double[] {bytes / MIB / seconds, cpu.msPerMib(bytes)});
                System.out.printf(java.util.Locale.ROOT, "restore trial %d: %.1f MiB/s, %.2f CPU ms per MiB%n",
                        i + 1, trials.get(i)[0], trials.get(i)[1]);
            }
        }
        trials.sort(java.util.Comparator.comparingDouble(t -> t[0]));
        return trials.get(trials.size() / 2);
    }

    /** Count and total size of the measured phases' objects (not the raw S3 baseline's or the warm-up's). */
    private static long[] storedObjects(S3Client s3, String bucket) {
        long count = 0;
        long bytes = 0;
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            if (!o.key().startsWith(RawS3Bench.PREFIX) && !o.key().startsWith(WARMUP_PREFIX + "-")) {
                count++;
                bytes += o.size();
            }
        }
        return new long[] {count, bytes};
    }
}
