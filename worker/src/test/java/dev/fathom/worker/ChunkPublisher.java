package dev.fathom.worker;

import dev.fathom.schemas.FathomSerdes;
import dev.fathom.schemas.SegmentChunk;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes raw SegmentChunk records (or arbitrary bytes) to the segments topic, keyed by namespace, one Kafka
 * transaction per call, as a producer library would; lets tests publish what FathomStorage refuses to (gaps,
 * corrupt chunks, invalid namespaces, garbage). Not thread-safe.
 */
final class ChunkPublisher implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final Serializer<SegmentChunk> serializer = FathomSerdes.segmentChunk().serializer();

    ChunkPublisher(String bootstrapServers, String topic) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-publisher-" + UUID.randomUUID(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024),
                new StringSerializer(), new ByteArraySerializer());
        producer.initTransactions();
    }

    /** Publishes {@code chunks} in one transaction, each keyed by its namespace. */
    void publish(List<SegmentChunk> chunks) {
        producer.beginTransaction();
        for (SegmentChunk chunk : chunks) {
            producer.send(new ProducerRecord<>(topic, chunk.getNamespace(), serializer.serialize(topic, chunk)));
        }
        producer.commitTransaction();
    }

    /** Publishes one record with arbitrary bytes in its own transaction. */
    void publishRaw(String key, byte[] value) {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, key, value));
        producer.commitTransaction();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
