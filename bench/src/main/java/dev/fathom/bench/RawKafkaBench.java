package dev.fathom.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Raw Kafka baseline: produces 1 MiB records for a duration, then consumes them all. The producer uses the settings
 * Fathom's publisher uses (producer KafkaClientSettings: acks=all, idempotence, compression none, max.request.size
 * ≥ 4 MiB; that class is package-private, so they are repeated here). Stateless.
 */
final class RawKafkaBench {

    private static final int RECORD_BYTES = 1 << 20;

    record Result(double produceMibS, double consumeMibS, double cpuMsPerMib) {
    }

    private RawKafkaBench() {
    }

    /**
     * Runs the baseline on a new 1-partition {@code topic} with the cluster's default replication; the client
     * {@code security} settings apply to every client; the topic is deleted at the end when {@code cleanUp}.
     */
    static Result run(String bootstrap, Map<String, Object> security, String topic, Duration duration,
                      boolean cleanUp) throws InterruptedException, ExecutionException {
        Map<String, Object> a = new HashMap<>(security);
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(a)) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()))).all().get();
            Result result = measure(bootstrap, security, topic, duration);
            if (cleanUp) {
                admin.deleteTopics(List.of(topic)).all().get();
            }
            return result;
        }
    }

    private static Result measure(String bootstrap, Map<String, Object> security, String topic, Duration duration)
            throws InterruptedException {
        byte[] value = new byte[RECORD_BYTES];
        new Random(1).nextBytes(value);
        Map<String, Object> p = new HashMap<>(security);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * RECORD_BYTES + 64 * 1024);
        long count = 0;
        CpuMeter cpu = CpuMeter.start();
        long t0 = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            long end = t0 + duration.toNanos();
            while (System.nanoTime() < end) {
                producer.send(new ProducerRecord<>(topic, value));
                count++;
            }
            producer.flush();
        }
        double produceSeconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> c = new HashMap<>(security);
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, topic);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        long read = 0;
        long t1 = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (read < count) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Raw Kafka: read " + read + " of " + count + " records in 5 min");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    read += r.value().length == RECORD_BYTES ? 1 : 0;
                }
            }
        }
        double consumeSeconds = (System.nanoTime() - t1) / 1e9;
        double mib = count * (double) RECORD_BYTES / BenchMain.MIB;
        // Produce and consume together: each byte Fathom ingests is also produced once and consumed once.
        return new Result(mib / produceSeconds, mib / consumeSeconds, cpu.msPerMib(count * (long) RECORD_BYTES));
    }
}
