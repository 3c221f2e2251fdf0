package dev.fathom.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * The worker's meters, each declared here once with its description, and the Prometheus registry that exports them
 * at {@code GET /metrics}. Counters and timers are updated where the work happens (segment jobs, the dispatcher, the
 * commit); gauges read the latest {@link LoopSample} the poll thread published, so a scrape never touches the poll
 * thread's state. Cardinality is bounded: tags are enums, storage profile names and owned partitions, never
 * namespaces. JVM memory, GC, thread, class-loader, processor and uptime metrics are bound too. Names follow the
 * Micrometer conventions; the Prometheus registry adds the unit and {@code _total} (docs/OPERATIONS.md lists them).
 * Thread-safe. Owned and closed by {@link Worker}.
 */
final class WorkerMetrics implements AutoCloseable {

    /** What became of a segment the worker finished. */
    enum Outcome {
        /** Uploaded and committed: the namespace's durable frame moved. */
        DURABLE,
        /** Already durable (a redelivery): acknowledged without work. */
        REPLAYED,
        /** Refused and written to the dead-letter topic. */
        DEAD_LETTERED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final String PREFIX = "fathom.worker.";
    /** Uploads and commits take milliseconds to tens of seconds; bounding the range bounds the histogram buckets. */
    private static final Duration SHORTEST = Duration.ofMillis(1);
    private static final Duration LONGEST = Duration.ofSeconds(60);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Map<Outcome, Counter> segments = new EnumMap<>(Outcome.class);
    private final Map<FailureClass, Counter> failures = new EnumMap<>(FailureClass.class);
    private final Counter deadLetters;
    private final Timer commits;
    private final Timer failedCommits;
    private final MultiGauge segmentLag;
    private final AtomicReference<LoopSample> loop = new AtomicReference<>(LoopSample.STOPPED);
    private Set<Integer> lagPartitions = Set.of();

    /** Registers every meter; {@code profiles} are the storage profile names (upload meters start at zero). */
    WorkerMetrics(Collection<String> profiles) {
        for (Outcome outcome : Outcome.values()) {
            segments.put(outcome, Counter.builder(PREFIX + "segments").tag("outcome", outcome.tag())
                    .description("Segments finished by this worker, by outcome (durable, replayed, dead_lettered)")
                    .register(registry));
        }
        for (FailureClass kind : FailureClass.values()) {
            failures.put(kind, Counter.builder(PREFIX + "failures").tag("class", kind.name().toLowerCase(Locale.ROOT))
                    .description("Failures by class: transient = a failed upload attempt or commit that is retried;"
                            + " poison = a segment or record refused and dead-lettered; fatal = the worker stops")
                    .register(registry));
        }
        deadLetters = Counter.builder(PREFIX + "dead.letters")
                .description("Dead-letter records committed to the dead-letter topic").register(registry);
        commits = commitTimer("committed");
        failedCommits = commitTimer("failed");
        profiles.forEach(profile -> {
            uploadTimer(profile);
            uploadBytes(profile);
        });
        gauge("jobs.in.flight", null, "Segment jobs (compact and upload) running now", LoopSample::jobsInFlight);
        gauge("assigned.partitions", null, "Partitions of the segments topic this worker owns",
                LoopSample::assignedPartitions);
        gauge("paused.partitions", null, "Owned partitions paused because the backlog is over its limits",
                LoopSample::pausedPartitions);
        gauge("backlog", "bytes", "Frame bytes of segments assembled but not yet durable", LoopSample::backlogBytes);
        gauge("backlog.segments", null, "Segments assembled but not yet durable", LoopSample::backlogSegments);
        gauge("durable.frame.lag.max", "frames", "Largest (newest frame waiting - durable frame no) over the"
                + " namespaces with unfinished segments in this worker", LoopSample::frameLagMax);
        gauge("durable.frame.lag.sum", "frames", "Sum of (newest frame waiting - durable frame no) over the"
                + " namespaces with unfinished segments in this worker", LoopSample::frameLagSum);
        gauge("lagging.namespaces", null, "Namespaces with unfinished segments in this worker",
                LoopSample::laggingNamespaces);
        segmentLag = MultiGauge.builder(PREFIX + "segment.lag").baseUnit("records")
                .description("Records of an owned segments-topic partition behind its end offset (not yet durable)")
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Counts a finished segment. */
    void segment(Outcome outcome) {
        segments.get(outcome).increment();
    }

    /** Counts a failure of class {@code kind}. */
    void failure(FailureClass kind) {
        failures.get(kind).increment();
    }

    /** Counts {@code count} failures of class {@code kind}. */
    void failures(FailureClass kind, int count) {
        failures.get(kind).increment(count);
    }

    /** Counts dead-letter records that were just committed. */
    void deadLettersCommitted(int count) {
        deadLetters.increment(count);
    }

    /** Starts timing an upload or a commit. */
    Timer.Sample startTimer() {
        return Timer.start(registry);
    }

    /** Records a successful upload of {@code bytes} (data and index objects) to storage profile {@code profile}. */
    void uploaded(Timer.Sample started, String profile, long bytes) {
        started.stop(uploadTimer(profile));
        uploadBytes(profile).increment(bytes);
    }

    /** Records a commit transaction that {@code succeeded} or not. */
    void committed(Timer.Sample started, boolean succeeded) {
        started.stop(succeeded ? commits : failedCommits);
    }

    /** Publishes the poll thread's latest view of the loop (gauges and readiness read it). */
    synchronized void publish(LoopSample sample) {
        loop.set(sample);
        if (!sample.segmentLag().keySet().equals(lagPartitions)) {
            lagPartitions = Set.copyOf(sample.segmentLag().keySet());
            segmentLag.register(lagPartitions.stream().sorted().map(p -> MultiGauge.Row.of(
                    Tags.of("partition", Integer.toString(p)), this, m -> m.lagOf(p))).toList(), true);
        }
    }

    /** The latest sample of the segment loop ({@link LoopSample#STOPPED} before it ran and after it stopped). */
    LoopSample loop() {
        return loop.get();
    }

    /** Renders every meter in the Prometheus text format (version 0.0.4). */
    String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    private double lagOf(int partition) {
        Long lag = loop.get().segmentLag().get(partition);
        return lag == null ? Double.NaN : lag;
    }

    private Timer commitTimer(String outcome) {
        return Timer.builder(PREFIX + "commit").tag("outcome", outcome)
                .description("Duration of the Kafka transaction that commits durable frames, catalog records, dead"
                        + " letters and consumer offsets")
                .publishPercentileHistogram().minimumExpectedValue(SHORTEST).maximumExpectedValue(LONGEST)
                .register(registry);
    }

    private Timer uploadTimer(String profile) {
        return Timer.builder(PREFIX + "upload").tag("profile", profile)
                .description("Duration of one segment upload (data object, then index object) to a storage profile")
                .publishPercentileHistogram().minimumExpectedValue(SHORTEST).maximumExpectedValue(LONGEST)
                .register(registry);
    }

    private Counter uploadBytes(String profile) {
        return Counter.builder(PREFIX + "upload.bytes").baseUnit("bytes").tag("profile", profile)
                .description("Bytes uploaded to a storage profile (compacted data and index objects)")
                .register(registry);
    }

    private void gauge(String name, String unit, String description, ToDoubleFunction<LoopSample> value) {
        Gauge.builder(PREFIX + name, loop, ref -> value.applyAsDouble(ref.get())).baseUnit(unit)
                .description(description).strongReference(true).register(registry);
    }
}
