package dev.fathom.worker.meta;

import dev.fathom.schemas.DurableFrame;
import dev.fathom.schemas.Namespace;
import dev.fathom.schemas.SegmentInfo;
import dev.fathom.worker.WorkerConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the meta service of one worker: the Kafka Streams application that materialises meta and catalog, and the HTTP
 * API over it; queries are answered from this instance's stores or forwarded to the owner of the namespace.
 * Thread-safe: queries may run concurrently with each other; {@link #start()} and {@link #close()} are serialised.
 * Assumes the topics exist (the worker provisions them). Closed by its creator ({@code Worker}).
 */
public final class MetaService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetaService.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final MetaServiceSettings settings;
    private MetaHttpServer http;
    private volatile KafkaStreams streams;
    private volatile MetaQueries queries;
    private volatile URI httpAddress;
    private OperationsHttpHandler operations;

    public MetaService(WorkerConfig config) {
        this(MetaServiceSettings.from(config));
    }

    public MetaService(MetaServiceSettings settings) {
        this.settings = settings;
    }

    /**
     * Binds the HTTP port, then starts Kafka Streams (advertising the bound port) and the HTTP API. Returns at once;
     * {@link #isRunning()} turns true once the group has assigned the partitions.
     */
    public synchronized void start() {
        if (streams != null) {
            throw new IllegalStateException("Meta service of worker " + settings.workerId() + " is already started");
        }
        http = MetaHttpServer.bind(settings.httpListenHost(), settings.httpPort());
        try {
            Properties props = MetaStreamsProperties.build(settings, http.port());
            HostInfo self = HostInfo.buildFromEndpoint(props.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG));
            streams = createStreams(props);
            queries = new MetaQueries(new LocalMetaStores(streams),
                    new NamespaceRouter(streams, self, settings.queryTimeout()),
                    new MetaForwarder(settings.workerId()), settings.workerId());
            streams.start();
            if (operations != null) {
                http.route(OperationsHttpHandler.METRICS, operations);
                http.route(OperationsHttpHandler.READY, operations);
            }
            http.start(new MetaHttpHandler(queries, streams::state, settings.workerId()));
            httpAddress = URI.create("http://" + self.host() + ":" + self.port());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        log.info("Meta service of worker {} started: application {} on topics {} and {}, HTTP API at {}",
                settings.workerId(), settings.applicationId(), settings.topics().meta(), settings.topics().catalog(),
                httpAddress);
    }

    /**
     * Also serves {@code GET /metrics} (Prometheus text from {@code metrics}) and {@code GET /ready} (from
     * {@code readiness}) on the HTTP API's port. Call before {@link #start()}.
     */
    public synchronized void serveOperations(Supplier<String> metrics, Supplier<ReadinessReport> readiness) {
        operations = new OperationsHttpHandler(metrics, readiness, settings.workerId());
    }

    /** The Kafka Streams state ({@code NOT_STARTED} before {@link #start()}). */
    public String streamsState() {
        KafkaStreams current = streams;
        return current == null ? "NOT_STARTED" : current.state().toString();
    }

    /** Whether Kafka Streams is RUNNING (partitions assigned and stores restored). */
    public boolean isRunning() {
        KafkaStreams current = streams;
        return current != null && current.state() == KafkaStreams.State.RUNNING;
    }

    /** The advertised address of the HTTP API ({@code http://host:port}); available after {@link #start()}. */
    public URI httpAddress() {
        requireStarted();
        return httpAddress;
    }

    /**
     * The newest durable frame of {@code namespace}, or empty when none was committed yet.
     *
     * @throws dev.fathom.schemas.InvalidNamespaceException when the name is not a valid namespace
     * @throws MetaUnavailableException when no owner answered within the query timeout
     */
    public Optional<DurableFrame> durableFrame(String namespace) {
        String valid = Namespace.of(namespace).value();
        return requireStarted().durableFrame(valid);
    }

    /**
     * The segments of {@code namespace} overlapping the frames {@code [fromFrameNo, toFrameNo]}, in frame order.
     *
     * @throws dev.fathom.schemas.InvalidNamespaceException when the name is not a valid namespace
     * @throws IllegalArgumentException when {@code fromFrameNo < 0} or {@code fromFrameNo > toFrameNo}
     * @throws MetaUnavailableException when no owner answered within the query timeout
     */
    public List<SegmentInfo> segments(String namespace, long fromFrameNo, long toFrameNo) {
        String valid = Namespace.of(namespace).value();
        if (fromFrameNo < 0 || fromFrameNo > toFrameNo) {
            throw new IllegalArgumentException("Frame range of the segments query for namespace '" + valid
                    + "' must satisfy 0 <= from <= to, got from " + fromFrameNo + ", to " + toFrameNo);
        }
        return requireStarted().segments(valid, fromFrameNo, toFrameNo);
    }

    /**
     * Stops Kafka Streams (bounded wait), leaving the group so the remaining workers take over this worker's
     * partitions at once instead of after the session timeout, then the HTTP API. Idempotent.
     */
    @Override
    public synchronized void close() {
        CloseOptions leave = CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT);
        if (streams != null && !streams.close(leave)) {
            log.warn("Meta service of worker {} did not stop Kafka Streams within {} s", settings.workerId(),
                    CLOSE_TIMEOUT.toSeconds());
        }
        if (http != null) {
            http.close();
            http = null;
        }
        log.info("Meta service of worker {} stopped", settings.workerId());
    }

    private KafkaStreams createStreams(Properties props) {
        StreamsBuilder builder = new StreamsBuilder();
        MetaTopology.build(builder, settings.topics());
        KafkaStreams created = new KafkaStreams(builder.build(), props);
        created.setStateListener((now, before) -> log.info("Meta service of worker {} went from {} to {}",
                settings.workerId(), before, now));
        created.setUncaughtExceptionHandler(this::onStreamThreadFailure);
        return created;
    }

    private MetaQueries requireStarted() {
        MetaQueries current = queries;
        if (current == null) {
            throw new IllegalStateException("Meta service of worker " + settings.workerId() + " is not started");
        }
        return current;
    }

    private StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse onStreamThreadFailure(Throwable e) {
        log.error("Meta service of worker {} stops: a stream thread failed; queries answer 503 until the worker is "
                + "restarted (check the meta and catalog topics and the state dir {})", settings.workerId(),
                settings.stateDir(), e);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
}
