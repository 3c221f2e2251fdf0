package dev.fathom.worker.meta;

import static dev.fathom.worker.meta.MetaFixtures.durable;
import static dev.fathom.worker.meta.MetaFixtures.segment;

import dev.fathom.schemas.CatalogKey;
import dev.fathom.schemas.DurableFrame;
import dev.fathom.schemas.FathomSerdes;
import dev.fathom.schemas.NamespacePartitioner;
import dev.fathom.schemas.SegmentInfo;
import dev.fathom.schemas.Topics;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes meta and catalog records the way a worker does (transactions, explicit partition per namespace), plus the
 * traps the meta service must not fall into: an aborted transaction, a late older durable frame, a tombstone.
 */
final class MetaRecordWriter {

    private final Topics topics;
    private final int partitions;
    private final Properties props = new Properties();

    MetaRecordWriter(String bootstrapServers, Topics topics, int partitions) {
        this.topics = topics;
        this.partitions = partitions;
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "meta-it-" + UUID.randomUUID());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
    }

    /** Commits {@code segments} (per namespace, oldest first) and their durable frames; see the class comment. */
    void commit(Map<String, List<SegmentInfo>> segments) {
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            segments.forEach((ns, list) -> list.forEach(s -> {
                send(producer, s);
                send(producer, durable(ns, s.getStartFrameNo(), s.getEndFrameNo()));
            }));
            SegmentInfo doomed = segment("db2", 5000, 5001);
            send(producer, doomed);
            producer.send(new ProducerRecord<>(topics.catalog(), partitionOf("db2"), CatalogKey.of("db2", 5001), null));
            producer.commitTransaction();

            producer.beginTransaction();
            send(producer, segment("db.x", 900_000, 1_000_000));
            send(producer, durable("db.x", 900_000, 1_000_000));
            producer.flush();
            producer.abortTransaction();

            producer.beginTransaction();
            SegmentInfo oldest = segments.get("db.x").get(0);
            send(producer, durable("db.x", oldest.getStartFrameNo(), oldest.getEndFrameNo()));
            producer.commitTransaction();
        }
    }

    private void send(KafkaProducer<String, byte[]> producer, SegmentInfo segment) {
        String ns = segment.getNamespace();
        producer.send(new ProducerRecord<>(topics.catalog(), partitionOf(ns),
                CatalogKey.of(ns, segment.getEndFrameNo()),
                FathomSerdes.segmentInfo().serializer().serialize(topics.catalog(), segment)));
    }

    private void send(KafkaProducer<String, byte[]> producer, DurableFrame durable) {
        String ns = durable.getNamespace();
        producer.send(new ProducerRecord<>(topics.meta(), partitionOf(ns), ns,
                FathomSerdes.durableFrame().serializer().serialize(topics.meta(), durable)));
    }

    private int partitionOf(String ns) {
        return NamespacePartitioner.partitionFor(ns, partitions);
    }
}
