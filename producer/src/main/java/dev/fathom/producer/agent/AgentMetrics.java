package dev.fathom.producer.agent;

import dev.fathom.producer.QueueFullException;
import dev.fathom.producer.StorageShutdownException;
import dev.fathom.schemas.format.SealedSegment;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The agent's meters, each declared here once with its description, and the Prometheus registry that exports them
 * at {@code GET /metrics} of the agent's HTTP port. Counters are updated where the work happens (the tailers, the
 * durability callbacks, the poll loop); gauges read one {@link AgentSample} taken from the storage and the tailers
 * at the start of each scrape. Tags are bounded enums, never namespaces: per-namespace lag is aggregated into a sum
 * and a max. JVM metrics are bound too. docs/OPERATIONS.md lists every name. Thread-safe. Owned and closed by
 * {@link Agent}.
 */
final class AgentMetrics implements AutoCloseable {

    /** The checkpoint modes the agent runs on its own once frames are durable. */
    enum CheckpointMode {
        /** {@code PRAGMA wal_checkpoint(PASSIVE)}: copies durable frames into the database file, never waits. */
        PASSIVE,
        /** {@code PRAGMA wal_checkpoint(TRUNCATE)} behind the agent's read transaction: empties the WAL file. */
        TRUNCATE
    }

    /** What kind of failure a poll, a scan or a stored segment ran into (the tag of the errors counter). */
    enum ErrorClass {
        /** sqlite-jdbc refused: locks, a closed or corrupt database. */
        SQLITE,
        /** The WAL file is not what SQLite writes (bad magic, version or header checksum). */
        WAL_FORMAT,
        /** Reading the database, the WAL or the agent's state failed. */
        IO,
        /** store() found the queue or the outbox full (queue.full.behavior). */
        QUEUE_FULL,
        /** A stored segment failed: publishing stopped after a fatal Kafka error, or the storage shut down. */
        STORAGE,
        /** Scanning for databases failed (watch.dir unreadable, a database with an invalid name). */
        SCAN,
        /** Anything else. */
        OTHER;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Classifies {@code failure} by the first known type in its cause chain. */
        static ErrorClass of(Throwable failure) {
            for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof SQLException) {
                    return SQLITE;
                } else if (t instanceof WalFormatException) {
                    return WAL_FORMAT;
                } else if (t instanceof IOException) {
                    return IO;
                } else if (t instanceof QueueFullException) {
                    return QUEUE_FULL;
                } else if (t instanceof StorageShutdownException) {
                    return STORAGE;
                }
            }
            return OTHER;
        }
    }

    private static final String PREFIX = "fathom.agent.";
    private static final String CHECKPOINTS_DOC = "Checkpoints the agent ran once frames were durable, by mode"
            + " (passive, truncate) and result (complete: every frame copied, or the WAL truncated; incomplete:"
            + " readers or writers held it back)";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Supplier<AgentSample> sampler;
    private final AtomicReference<AgentSample> sample = new AtomicReference<>(AgentSample.EMPTY);
    private final Counter walFrames;
    private final Counter sealed;
    private final Counter stored;
    private final Counter storedBytes;
    private final Counter durable;
    private final Counter failed;
    private final Counter snapshots;
    private final Counter resnapshots;
    private final Map<CheckpointMode, Counter> checkpoints = new EnumMap<>(CheckpointMode.class);
    private final Map<CheckpointMode, Counter> incompleteCheckpoints = new EnumMap<>(CheckpointMode.class);
    private final Map<ErrorClass, Counter> errors = new EnumMap<>(ErrorClass.class);
    private final AtomicLong failedTransactionsAtLastDurable = new AtomicLong(-1);

    /** Registers every meter; {@code sampler} is called once per scrape, on the scraping thread. */
    AgentMetrics(Supplier<AgentSample> sampler) {
        this.sampler = sampler;
        walFrames = counter("wal.frames", null, "Committed WAL frames read from the databases' WAL files");
        sealed = counter("segments.sealed", null, "Segments sealed (base snapshots and WAL segments)");
        stored = counter("segments.stored", null, "Segments accepted by store(): queued, or in the outbox when"
                + " outbox.dir is set");
        storedBytes = counter("stored", "bytes", "Encoded frame bytes (page images plus frame headers) of the"
                + " segments stored");
        durable = counter("segments.durable", null, "Stored segments a worker confirmed durable (in object storage"
                + " and the meta topic)");
        failed = counter("segments.failed", null, "Stored segments whose callback reported a failure (publishing"
                + " stopped after a fatal error, or the storage shut down before they were durable)");
        snapshots = counter("snapshots", null, "Base snapshots shipped: the first contact with a database and every"
                + " re-snapshot");
        resnapshots = counter("resnapshots", null, "Times the agent could not prove continuity with a database's"
                + " WAL and decided to ship a new base snapshot");
        for (CheckpointMode mode : CheckpointMode.values()) {
            String tag = mode.name().toLowerCase(Locale.ROOT);
            checkpoints.put(mode, Counter.builder(PREFIX + "checkpoints").tag("mode", tag).tag("result", "complete")
                    .description(CHECKPOINTS_DOC).register(registry));
            incompleteCheckpoints.put(mode, Counter.builder(PREFIX + "checkpoints").tag("mode", tag)
                    .tag("result", "incomplete").description(CHECKPOINTS_DOC).register(registry));
        }
        for (ErrorClass kind : ErrorClass.values()) {
            errors.put(kind, Counter.builder(PREFIX + "errors").tag("class", kind.tag())
                    .description("Failed polls, scans and stored segments, by class (sqlite, wal_format, io,"
                            + " queue_full, storage, scan, other)").register(registry));
        }
        gauge("databases", null, "Databases being shipped", AgentSample::databases);
        gauge("outbox", "bytes", "Bytes of segments in the outbox: stored, not yet durable", AgentSample::outboxBytes);
        gauge("outbox.entries", null, "Segments in the outbox: stored, not yet durable", AgentSample::outboxEntries);
        gauge("durable.lag.sum", "frames", "Sum over the shipped databases of (last stored frame - durable frame):"
                + " frames stored but not durable yet", AgentSample::lagSumFrames);
        gauge("durable.lag.max", "frames", "Largest (last stored frame - durable frame) over the shipped databases",
                AgentSample::lagMaxFrames);
        publishTransactions("committed", AgentSample::committedTransactions);
        publishTransactions("failed", AgentSample::failedTransactions);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Counts {@code frames} committed WAL frames read. */
    void walFramesRead(int frames) {
        walFrames.increment(frames);
    }

    /** Counts a sealed segment. */
    void sealed() {
        sealed.increment();
    }

    /** Counts a segment that store() accepted. */
    void stored(SealedSegment segment) {
        stored.increment();
        storedBytes.increment(segment.frameBytes());
    }

    /**
     * Counts the outcome a stored segment's callback reported; {@code failedTransactions} is the storage's count of
     * failed publishing transactions at that moment (readiness: the outbox drains despite failed attempts).
     */
    void completed(Throwable failure, long failedTransactions) {
        if (failure == null) {
            durable.increment();
            failedTransactionsAtLastDurable.accumulateAndGet(failedTransactions, Math::max);
        } else {
            failed.increment();
            error(failure);
        }
    }

    /** Counts a shipped base snapshot. */
    void snapshot() {
        snapshots.increment();
    }

    /** Counts a decision to re-snapshot a database. */
    void resnapshot() {
        resnapshots.increment();
    }

    /** Counts a checkpoint of {@code mode} that {@code completed} or was held back. */
    void checkpoint(CheckpointMode mode, boolean completed) {
        (completed ? checkpoints : incompleteCheckpoints).get(mode).increment();
    }

    /** Counts a failure classified by its cause chain. */
    void error(Throwable failure) {
        errors.get(ErrorClass.of(failure)).increment();
    }

    /** Counts a failure of class {@code kind}. */
    void error(ErrorClass kind) {
        errors.get(kind).increment();
    }

    /** Returns how many failed publishing transactions the storage had counted when a segment last became durable. */
    long failedTransactionsAtLastDurable() {
        return failedTransactionsAtLastDurable.get();
    }

    /** Takes a fresh sample for the gauges, then renders every meter in the Prometheus text format (0.0.4). */
    String scrape() {
        sample.set(sampler.get());
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    private Counter counter(String name, String unit, String description) {
        return Counter.builder(PREFIX + name).baseUnit(unit).description(description).register(registry);
    }

    private void gauge(String name, String unit, String description, ToDoubleFunction<AgentSample> value) {
        Gauge.builder(PREFIX + name, sample, ref -> value.applyAsDouble(ref.get())).baseUnit(unit)
                .description(description).strongReference(true).register(registry);
    }

    private void publishTransactions(String outcome, ToDoubleFunction<AgentSample> value) {
        FunctionCounter.builder(PREFIX + "publish.transactions", sample, ref -> value.applyAsDouble(ref.get()))
                .tag("outcome", outcome).description("Kafka transactions publishing segment chunks, by outcome"
                        + " (committed; failed = aborted and retried)").register(registry);
    }
}
