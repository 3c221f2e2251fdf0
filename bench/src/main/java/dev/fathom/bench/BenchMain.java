package dev.fathom.bench;

import dev.fathom.cli.DevSettings;
import dev.fathom.cli.DevStack;
import dev.fathom.cli.StartupProgress;
import dev.fathom.producer.FathomStorage;
import dev.fathom.producer.FathomStorageConfig;
import dev.fathom.producer.restore.FathomReader;
import dev.fathom.producer.restore.RestoreTarget;
import dev.fathom.producer.storage.S3Clients;
import dev.fathom.schemas.format.SealedSegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
        if (o.config() != null) {
            BenchTarget target = BenchTarget.external(o.config());
            Path dir = Files.createTempDirectory("fathom-bench");
            try {
                return measure(o, target, dir.resolve("restored.db"));
            } finally {
                deleteTree(dir);
            }
        }
        if (o.dataDir() != null) {
            return measureDevStack(o, o.dataDir());
        }
        Path dir = Files.createTempDirectory("fathom-bench");
        try {
            return measureDevStack(o, dir);
        } finally {
            // The raw baselines alone write GiBs (a 30 s phase at a few hundred MiB/s): never leave them in /tmp.
            deleteTree(dir);
        }
    }

    private static Map<String, Object> measureDevStack(BenchOptions o, Path dir) throws Exception {
        try (DevStack stack = DevStack.start(new DevSettings(dir, 0, 0, 0, "fathom-bench", 3),
                StartupProgress.silent())) {
            return measure(o, BenchTarget.devStack(stack.endpoints()), dir.resolve("restored.db"));
        }
    }

    private static Map<String, Object> measure(BenchOptions o, BenchTarget t, Path restoreFile) throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        int frames = o.segmentMib() * (1 << 20) / PAGE_SIZE;
        WalGenerator wal = new WalGenerator(PAGE_SIZE, 42);
        FathomStorageConfig config = new FathomStorageConfig(t.storageConfig());
        if (!o.warmup().isZero()) {
            // Unmeasured: compiles the producer, broker, worker, SDK and S3Proxy paths every phase uses.
            try (FathomStorage storage = FathomStorage.start(config)) {
                IngestPhase.run(storage, t, wal, frames, WARMUP_PREFIX, 10, o.warmup(), 0);
            }
        }
        RawKafkaBench.Result kafka = RawKafkaBench.run(config.bootstrapServers(), config.securitySettings(), t.rawTopic(),
                o.duration(), !t.colocated());
        r.put("raw_kafka_produce_mib_s", kafka.produceMibS());
        r.put("raw_kafka_consume_mib_s", kafka.consumeMibS());
        cpu(r, t, "raw_kafka_cpu_ms_per_mib", kafka.cpuMsPerMib());
        try (S3Client s3 = S3Clients.create(t.profile())) {
            RawS3Bench.Result raw = RawS3Bench.run(s3, t.profile().bucket(), t.rawPrefix(), o.duration(),
                    !t.colocated());
            r.put("raw_s3_put_mib_s", raw.putMibS());
            r.put("raw_s3_get_mib_s", raw.getMibS());
            cpu(r, t, "raw_s3_put_cpu_ms_per_mib", raw.putCpuMsPerMib());
            cpu(r, t, "raw_s3_get_cpu_ms_per_mib", raw.getCpuMsPerMib());
            r.put("segment_mib", o.segmentMib());
            try (FathomStorage storage = FathomStorage.start(config)) {
                IngestPhase.Result one = IngestPhase.run(storage, t, wal, frames, "one", 1, o.duration(), 0);
                ingestFigures(r, t, "ingest_1ns", one);
                IngestPhase.Result hundred = IngestPhase.run(storage, t, wal, frames, "hundred", 100, o.duration(), 0);
                ingestFigures(r, t, "ingest_100ns", hundred);
                long walBytes = one.bytes() + hundred.bytes();
                if (o.manyNamespaces()) {
                    IngestPhase.Result many = IngestPhase.run(storage, t, wal, frames, "many", 10_000, o.duration(), 0);
                    ingestFigures(r, t, "ingest_10000ns", many);
                    walBytes += many.bytes();
                }
                double halfRate = Math.max(one.mibS(), hundred.mibS()) / 2;
                // Same shape as the best ingest phase (100 namespaces), offered half of its saturation.
                IngestPhase.Result paced = IngestPhase.run(storage, t, wal, frames, "lag", 100, o.duration(), halfRate);
                r.put("lag_rate_mib_s", halfRate);
                r.put("lag_p50_ms", paced.percentileMs(50));
                r.put("lag_p95_ms", paced.percentileMs(95));
                r.put("lag_p99_ms", paced.percentileMs(99));
                walBytes += paced.bytes();
                // Counted before the restore database is stored: its bytes are not part of walBytes.
                long[] stored = storedObjects(s3, t);
                r.put("wal_bytes", walBytes);
                r.put("s3_puts_per_gib_wal", stored[0] / (walBytes / (MIB * 1024)));
                r.put("compaction_ratio", stored[1] / (double) walBytes);
                storeDatabase(storage, wal, frames, t.namespace("restore-db"), o.restoreMib(), t.profile().name());
            }
        }
        // Before the idle-namespace phase, whose forced full GCs and 10 000 new namespaces are not the restore's
        // to pay for.
        double[] restore = restore(config, t, restoreFile);
        r.put("restore_mib_s", restore[0]);
        cpu(r, t, "restore_cpu_ms_per_mib", restore[1]);
        if (t.colocated()) { // the worker's heap is only measurable when the worker runs in this JVM
            IdleNamespaceBench.Result idle = IdleNamespaceBench.run(t.storageConfig(), o.idleNamespaces());
            r.put("idle_namespaces", idle.namespaces());
            r.put("heap_per_idle_namespace_bytes", idle.bytesPerNamespace());
        }
        r.put("ingest_ratio", Math.max((double) r.get("ingest_1ns_mib_s"), (double) r.get("ingest_100ns_mib_s"))
                / Math.min(kafka.produceMibS(), (double) r.get("raw_s3_put_mib_s")));
        r.put("restore_ratio", (double) r.get("restore_mib_s") / (double) r.get("raw_s3_get_mib_s"));
        if (t.colocated()) {
            // What every core of this machine could ingest if a MiB cost only its raw produce + consume + PUT: the
            // ceiling when broker, S3 server, worker and client share the cores, as they do here.
            r.put("ingest_cpu_bound_mib_s", Runtime.getRuntime().availableProcessors() * 1000.0
                    / ((double) r.get("raw_kafka_cpu_ms_per_mib") + (double) r.get("raw_s3_put_cpu_ms_per_mib")));
        }
        Files.writeString(o.out(), BenchReport.json(r));
        return r;
    }

    private static void ingestFigures(Map<String, Object> r, BenchTarget t, String phase, IngestPhase.Result ingest) {
        r.put(phase + "_mib_s", ingest.mibS());
        cpu(r, t, phase + "_cpu_ms_per_mib", ingest.cpuMsPerMib());
        if (!phase.equals("ingest_10000ns")) {
            cpu(r, t, phase + "_jit_ms_per_mib", ingest.jitMsPerMib());
        }
    }

    /** Records a CPU figure only when everything measured runs in this JVM; otherwise it would count the client. */
    private static void cpu(Map<String, Object> r, BenchTarget t, String figure, double value) {
        if (t.colocated()) {
            r.put(figure, value);
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Stores a database of {@code mib} MiB (every page written once) and waits until it is durable. */
    private static void storeDatabase(FathomStorage storage, WalGenerator wal, int frames, String namespace, int mib,
                                      String profile) throws InterruptedException {
        int pages = mib * (1 << 20) / PAGE_SIZE;
        List<SealedSegment> chain = wal.database(pages, frames, System.currentTimeMillis());
        Semaphore done = new Semaphore(0);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (SealedSegment s : chain) {
            storage.store(namespace, s, profile, (durable, error) -> {
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
    private static double[] restore(FathomStorageConfig config, BenchTarget t, Path target) throws Exception {
        List<double[]> trials = new ArrayList<>();
        try (FathomReader reader = FathomReader.fromConfig(config)) {
            for (int i = 0; i < RESTORE_TRIALS; i++) {
                CpuMeter cpu = CpuMeter.start();
                long t0 = System.nanoTime();
                reader.restore(target, t.namespace("restore-db"), RestoreTarget.latest(), t.profile().name());
                double seconds = (System.nanoTime() - t0) / 1e9;
                long bytes = Files.size(target);
                trials.add(new double[] {bytes / MIB / seconds, cpu.msPerMib(bytes)});
                System.out.printf(java.util.Locale.ROOT, "restore trial %d: %.1f MiB/s, %.2f CPU ms per MiB%n",
                        i + 1, trials.get(i)[0], trials.get(i)[1]);
            }
        }
        trials.sort(java.util.Comparator.comparingDouble(trial -> trial[0]));
        return trials.get(trials.size() / 2);
    }

    /** Count and total size of the measured phases' objects (not the raw S3 baseline's or the warm-up's). */
    private static long[] storedObjects(S3Client s3, BenchTarget t) {
        long count = 0;
        long bytes = 0;
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(t.profile().bucket())).contents()) {
            if (t.isMeasuredObject(o.key(), WARMUP_PREFIX)) {
                count++;
                bytes += o.size();
            }
        }
        return new long[] {count, bytes};
    }
}
