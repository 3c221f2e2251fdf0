package dev.fathom.worker.rebuild;

import dev.fathom.producer.restore.BucketSegmentCatalog;
import dev.fathom.producer.restore.StoredSegment;
import dev.fathom.schemas.Namespace;
import dev.fathom.schemas.TopicProvisioner;
import dev.fathom.worker.DurableFrameLoader;
import dev.fathom.worker.DurableRecords;
import dev.fathom.worker.DurableSegment;
import dev.fathom.worker.TopicLayout;
import dev.fathom.worker.rebuild.NamespaceRebuild.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-publishes the meta and catalog topics from a bucket listing. For each namespace: the contiguous chain from
 * frame 1 ({@link ContiguousChain}; a gap, an overlap or an unreadable object ends it with a warning), each segment's
 * {@code SegmentInfo} and one {@code DurableFrame} for the chain's end, built by the worker's own
 * {@link DurableRecords} and committed in one transaction (acks=all, idempotent), so readers see a namespace either
 * before or after. Never moves meta backwards: the meta topic is read to its end first and a namespace whose
 * published durable frame is already at or past the chain's end is left alone (so a repeated rebuild writes
 * nothing); a worker that commits a higher frame meanwhile still wins, because every reader keeps the maximum
 * ({@code MetaTopology}, {@code DurableFrameLoader}, the node's tracker). Not thread-safe; the caller closes it.
 */
public final class MetaRebuilder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetaRebuilder.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final RebuildSettings settings;
    private final RebuildSource source;
    private final Clock clock;
    private final Admin admin;
    private final TopicLayout layout;
    private final Producer<String, byte[]> producer;
    private final StoredSegmentReader reader;

    private MetaRebuilder(RebuildSettings settings, RebuildSource source, Clock clock, Admin admin,
                          TopicLayout layout, Producer<String, byte[]> producer) {
        this.settings = settings;
        this.source = source;
        this.clock = clock;
        this.admin = admin;
        this.layout = layout;
        this.producer = producer;
        this.reader = new StoredSegmentReader(source.s3(), source.bucket(), source.profile(),
                source.codec());
    }

    /**
     * Connects to Kafka, creates the missing topics (checking existing ones) and initialises the transactional
     * producer, which fences an earlier rebuild with the same transactional id.
     *
     * @throws KafkaException when Kafka cannot be reached or a topic is misconfigured
     */
    public static MetaRebuilder open(RebuildSettings settings, RebuildSource source, Clock clock) {
        Admin admin = Admin.create(new HashMap<>(settings.kafka()));
        Producer<String, byte[]> producer = null;
        try {
            new TopicProvisioner(admin, settings.topics(), settings.topicSettings()).ensureTopics();
            TopicLayout layout = TopicLayout.describe(admin, settings.topics());
            producer = new KafkaProducer<>(producerSettings(settings));
            producer.initTransactions();
            return new MetaRebuilder(settings, source, clock, admin, layout, producer);
        } catch (RuntimeException e) {
            if (producer != null) {
                producer.close(Duration.ZERO);
            }
            admin.close(Duration.ZERO);
            throw e;
        }
    }

    /**
     * Rebuilds {@code namespaces}, or every namespace under the profile's prefix when empty, reporting each one to
     * {@code progress} as soon as it is done.
     *
     * @throws KafkaException when the meta topic cannot be read or a transaction cannot be committed (namespaces
     *                        reported before stay published: each has its own transaction)
     * @throws software.amazon.awssdk.core.exception.SdkException when the bucket cannot be listed
     */
    public RebuildSummary rebuild(List<String> namespaces, Consumer<NamespaceRebuild> progress) {
        Instant start = clock.instant();
        namespaces.forEach(Namespace::of);
        List<String> names = namespaces.isEmpty()
                ? BucketNamespaces.list(source.s3(), source.bucket(), source.prefix()) : namespaces;
        log.info("Rebuilding meta topic {} and catalog topic {} for {} namespaces from s3://{}/{}",
                layout.topics().meta(), layout.topics().catalog(), names.size(), source.bucket(), source.prefix());
        Map<String, Long> published = publishedDurableFrames();
        DurableRecords records = new DurableRecords(layout, clock);
        List<NamespaceRebuild> done = new ArrayList<>();
        for (String namespace : names) {
            NamespaceRebuild result = rebuild(namespace, published.getOrDefault(namespace, 0L), records);
            done.add(result);
            progress.accept(result);
        }
        return new RebuildSummary(done, Duration.between(start, clock.instant()));
    }

    private NamespaceRebuild rebuild(String namespace, long published, DurableRecords records) {
        List<StoredSegment> stored = new BucketSegmentCatalog(source.s3(), source.bucket(), source.prefix())
                .segments(namespace);
        ContiguousChain chain = ContiguousChain.of(namespace, stored);
        String problem = chain.problem();
        if (published >= chain.endFrameNo() && chain.endFrameNo() > 0) {
            return new NamespaceRebuild(namespace, Outcome.UP_TO_DATE, published, published, stored.size(), 0,
                    problem);
        }
        List<DurableSegment> readable = new ArrayList<>();
        for (StoredSegment segment : chain.segments()) {
            try {
                readable.add(reader.read(namespace, segment));
            } catch (RuntimeException unreadable) {
                // Corrupt, vanished or refused: no frame from here on can be declared durable.
                problem = "Segment " + segment.id() + " of namespace '" + namespace + "' cannot be read: "
                        + unreadable.getMessage();
                break;
            }
        }
        if (problem != null) {
            log.warn("Namespace {} is rebuilt only up to frame {}: {}", namespace,
                    readable.isEmpty() ? 0 : readable.get(readable.size() - 1).id().endFrameNo(), problem);
        }
        if (readable.isEmpty()) {
            return new NamespaceRebuild(namespace, Outcome.NOTHING_TO_PUBLISH, published, published, stored.size(),
                    0, problem);
        }
        long end = readable.get(readable.size() - 1).id().endFrameNo();
        if (published >= end) {
            return new NamespaceRebuild(namespace, Outcome.UP_TO_DATE, published, published, stored.size(), 0,
                    problem);
        }
        publish(namespace, readable, records);
        return new NamespaceRebuild(namespace, Outcome.PUBLISHED, published, end, stored.size(), readable.size(),
                problem);
    }

    private void publish(String namespace, List<DurableSegment> chain, DurableRecords records) {
        DurableSegment last = chain.get(chain.size() - 1);
        producer.beginTransaction();
        try {
            for (DurableSegment segment : chain) {
                producer.send(records.catalogRecord(segment)); // a failed send fails the commit below
            }
            producer.send(records.metaRecord(last));
            producer.commitTransaction();
        } catch (KafkaException e) {
            abortQuietly();
            throw new KafkaException("Could not publish the rebuilt meta and catalog of namespace '" + namespace
                    + "' (" + chain.size() + " segments up to frame " + last.id().endFrameNo() + "): "
                    + e.getMessage(), e);
        }
        log.info("Published namespace {}: {} catalog records and durable frame {} (segment {})", namespace,
                chain.size(), last.id().endFrameNo(), last.id());
    }

    private Map<String, Long> publishedDurableFrames() {
        Map<String, Object> consumerSettings = new HashMap<>(settings.kafka());
        consumerSettings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerSettings.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.transactionalId() + "-meta-reader");
        try (DurableFrameLoader loader = new DurableFrameLoader(new KafkaConsumer<>(consumerSettings,
                new StringDeserializer(), new ByteArrayDeserializer()), admin, layout.topics().meta(),
                settings.metaReadTimeout())) {
            Map<String, Long> durable = new HashMap<>();
            loader.load(IntStream.range(0, layout.metaPartitions()).boxed().toList())
                    .values().forEach(durable::putAll); // a namespace lives in one partition only
            return durable;
        }
    }

    private void abortQuietly() {
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            log.warn("Could not abort the failed rebuild transaction: {}", e.toString());
        }
    }

    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
        admin.close(CLOSE_TIMEOUT);
    }

    private static Map<String, Object> producerSettings(RebuildSettings settings) {
        Map<String, Object> props = new HashMap<>(settings.kafka());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, settings.transactionalId());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }
}
