package dev.fathom.producer.agent;

import dev.fathom.producer.FathomStorage;
import dev.fathom.producer.PublishStatus;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQLite agent: finds the configured databases (now and as they appear), and ships each one through a
 * {@link DatabaseTailer} into its own {@link FathomStorage}. Thread-safe. Owns the storage and a small scheduler;
 * {@link #close} seals what was collected, waits (up to the storage's shutdown.timeout.ms) until it is durable and
 * releases every database. With {@code http.port} set it serves {@code /metrics}, {@code /health} and {@code /ready}
 * ({@link AgentHttpServer}); its meters ({@link AgentMetrics}) are kept either way.
 */
public final class Agent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    private static final int THREADS = 2;
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);
    /** How often the status sentence is logged: often enough to see a growing outbox, rarely enough to read. */
    private static final Duration STATUS_INTERVAL = Duration.ofSeconds(60);

    private final AgentConfig config;
    private final FathomStorage storage;
    private final Clock clock;
    private final TailerSettings settings;
    private final DatabaseFinder finder;
    private final ScheduledExecutorService scheduler;
    private final Map<String, DatabaseTailer> tailers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    /** Per namespace: whether its last poll left it shipping; written by the poll tasks, read by /ready. */
    private final Map<String, Boolean> shipping = new ConcurrentHashMap<>();
    private final AgentMetrics metrics;
    private volatile Set<String> found;
    private volatile boolean closing;
    private AgentHttpServer http;

    private Agent(AgentConfig config, FathomStorage storage, Clock clock) {
        this.config = config;
        this.storage = storage;
        this.clock = clock;
        this.metrics = new AgentMetrics(this::sample);
        this.settings = TailerSettings.of(config, metrics);
        this.finder = new DatabaseFinder(config.databases(), config.watchDir(), config.watchGlob());
        AtomicInteger threads = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(THREADS,
                r -> new Thread(r, "fathom-agent-" + threads.incrementAndGet()));
    }

    /** Starts an agent with the system UTC clock; see {@link #start(AgentConfig, Clock)}. */
    public static Agent start(AgentConfig config) {
        return start(config, Clock.systemUTC());
    }

    /**
     * Starts the storage (Kafka must answer) and the HTTP port when configured, then scans for databases every
     * watch.interval.ms and polls each one's WAL every poll.interval.ms.
     *
     * @throws java.io.UncheckedIOException when http.port cannot be bound (the storage is closed again)
     */
    public static Agent start(AgentConfig config, Clock clock) {
        FathomStorage storage = FathomStorage.start(config.storageConfig(), clock);
        Agent agent = new Agent(config, storage, clock);
        if (config.httpPort().isPresent()) {
            try {
                agent.http = AgentHttpServer.start(config.httpListenHost(), config.httpPort().getAsInt(),
                        new AgentHttpServer.Sources(agent.metrics::scrape, agent::readiness, agent::isAlive));
            } catch (RuntimeException e) {
                agent.scheduler.shutdownNow();
                storage.forceShutdown();
                agent.metrics.close();
                throw e;
            }
            log.info("Agent of node {} serves /metrics, /health and /ready on {}:{}", config.storageConfig().nodeId(),
                    config.httpListenHost(), agent.http.port());
        }
        agent.scheduler.scheduleWithFixedDelay(agent::scan, 0, config.watchInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        agent.scheduler.scheduleAtFixedRate(agent::logStatus, STATUS_INTERVAL.toMillis(),
                STATUS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        log.info("Started agent of node {}: databases {}, watching {}", config.storageConfig().nodeId(),
                config.databases(), config.watchDir().map(d -> d + "/" + config.watchGlob()).orElse("no directory"));
        return agent;
    }

    /** Returns the storage the agent stores through (for its durable frame numbers). */
    public FathomStorage storage() {
        return storage;
    }

    /** Returns the base URL of the operator endpoints on the loopback interface, empty when http.port is -1. */
    public Optional<URI> httpAddress() {
        return Optional.ofNullable(http).map(AgentHttpServer::localAddress);
    }

    /** Returns every meter in the Prometheus text format (what {@code GET /metrics} answers). */
    public String scrapeMetrics() {
        return metrics.scrape();
    }

    /** Returns the namespaces being shipped. */
    public Set<String> namespaces() {
        return Set.copyOf(tailers.keySet());
    }

    /** Returns how many base snapshots were shipped for {@code namespace} since start, empty when not shipped. */
    public Optional<Long> snapshots(String namespace) {
        return Optional.ofNullable(tailers.get(namespace)).map(DatabaseTailer::snapshots);
    }

    /**
     * Returns the status sentence the agent logs every minute: the databases it ships, each one's last stored and
     * durable frame, and the bytes waiting in the outbox (which grow while Kafka is unreachable).
     */
    public String status() {
        StringBuilder dbs = new StringBuilder();
        new TreeMap<>(tailers).keySet().forEach(ns -> dbs.append(dbs.isEmpty() ? "" : ", ").append(ns)
                .append(" (stored up to frame ").append(storage.lastStoredFrameNo(ns)).append(", durable up to ")
                .append(storage.durableFrameNo(ns)).append(')'));
        int count = tailers.size();
        return "Agent of node " + config.storageConfig().nodeId() + " is shipping " + (count == 0 ? "no database yet"
                : count + (count == 1 ? " database: " : " databases: ") + dbs) + "; the outbox holds "
                + storage.outboxBytes() + " bytes";
    }

    private void logStatus() {
        try {
            log.info(status());
        } catch (RuntimeException e) { // a thrown exception would cancel the periodic task
            log.warn("Could not report the agent's status: {}", e.toString());
        }
    }

    private void scan() {
        try {
            Map<String, Path> databases = finder.find();
            for (Map.Entry<String, Path> db : databases.entrySet()) {
                tailers.computeIfAbsent(db.getKey(), ns -> {
                    DatabaseTailer tailer = new DatabaseTailer(ns, db.getValue(), settings, storage, clock);
                    scheduler.scheduleWithFixedDelay(() -> poll(tailer), 0, config.pollInterval().toMillis(),
                            TimeUnit.MILLISECONDS);
                    log.info("Shipping database {} as namespace {}", db.getValue(), ns);
                    return tailer;
                });
            }
            found = Set.copyOf(databases.keySet());
        } catch (RuntimeException e) {
            metrics.error(AgentMetrics.ErrorClass.SCAN);
            log.warn("Scan for databases failed: {}", e.toString());
        }
    }

    /** One poll; a failure is logged (rate-limited) and the database is reopened and resumed on the next poll. */
    private void poll(DatabaseTailer tailer) {
        AtomicInteger failed = failures.computeIfAbsent(tailer.namespace(), ns -> new AtomicInteger());
        try {
            tailer.poll();
            shipping.put(tailer.namespace(), tailer.isShipping());
            int before = failed.getAndSet(0);
            if (before > 0) {
                log.info("Shipping namespace {} recovered after {} failed polls", tailer.namespace(), before);
            }
        } catch (Exception e) {
            metrics.error(e);
            int count = failed.incrementAndGet();
            if (count == 1 || count % 100 == 0) {
                log.warn("Poll of namespace {} failed ({} in a row); reopening the database: {}", tailer.namespace(),
                        count, e.toString(), e);
            }
            closeQuietly(tailer);
        }
    }

    private static void closeQuietly(DatabaseTailer tailer) {
        try {
            tailer.close();
        } catch (Exception e) {
            log.debug("Closing namespace {} failed: {}", tailer.namespace(), e.toString());
        }
    }

    /** The gauges' view, taken per scrape: databases, outbox, durable lag summed and maxed over the namespaces. */
    private AgentSample sample() {
        long lagSum = 0;
        long lagMax = 0;
        for (String ns : tailers.keySet()) {
            long lag = Math.max(0, storage.lastStoredFrameNo(ns) - storage.durableFrameNo(ns));
            lagSum += lag;
            lagMax = Math.max(lagMax, lag);
        }
        PublishStatus publish = storage.publishStatus();
        return new AgentSample(tailers.size(), storage.outboxBytes(), storage.outboxEntries(), lagSum, lagMax,
                publish.committedTransactions(), publish.failedAttempts());
    }

    /** Returns the readiness checks {@code GET /ready} answers with (see docs/OPERATIONS.md). */
    AgentReadiness.Report readiness() {
        Set<String> scanned = found;
        Map<String, AgentReadiness.Tailing> tailing = scanned == null ? Map.of() : scanned.stream().collect(
                Collectors.toMap(Function.identity(), ns -> {
                    DatabaseTailer tailer = tailers.get(ns);
                    AtomicInteger failed = failures.get(ns);
                    return new AgentReadiness.Tailing(tailer != null, shipping.getOrDefault(ns, false),
                            failed == null ? 0 : failed.get());
                }));
        return new AgentReadiness.Report(List.of(AgentReadiness.databases(scanned != null, tailing),
                AgentReadiness.publishing(storage.publishStatus(), metrics.failedTransactionsAtLastDurable())));
    }

    private boolean isAlive() {
        return !closing && !storage.publishStatus().stopped();
    }

    /** Stops polling, seals what was collected, shuts the storage down (publish + await durable), releases all. */
    @Override
    public void close() {
        closing = true;
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Agent polls did not stop within {} s", STOP_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tailers.values().forEach(DatabaseTailer::flush);
        storage.close();
        tailers.values().forEach(Agent::closeQuietly);
        if (http != null) {
            http.close();
        }
        metrics.close();
        log.info("Stopped agent of node {}", config.storageConfig().nodeId());
    }
}
