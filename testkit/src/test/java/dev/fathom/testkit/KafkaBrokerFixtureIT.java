package dev.fathom.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaBrokerFixtureIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.singleNode();

    @Test
    void shouldPickTheFixtureThatMatchesDockerAvailability() {
        String forced = System.getProperty("kafka.fixture", "");
        KafkaBroker.Mode expected = switch (forced) {
            case "local" -> KafkaBroker.Mode.IN_PROCESS;
            case "process" -> KafkaBroker.Mode.PROCESS;
            case "container" -> KafkaBroker.Mode.CONTAINER;
            default -> KafkaContainerBroker.dockerAvailable() ? KafkaBroker.Mode.CONTAINER : KafkaBroker.Mode.IN_PROCESS;
        };
        assertEquals(expected, KAFKA.mode());
    }

    @Test
    void shouldCreateCompactedTopicAndReadOnlyCommittedRecords() throws Exception {
        KAFKA.createTopic("fixture.compacted", 3, true);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "fixture.compacted");
        ConfigEntry policy = KAFKA.admin().describeConfigs(List.of(resource)).all().get().get(resource)
                .get("cleanup.policy");
        assertEquals("compact", policy.value());

        try (KafkaProducer<String, String> producer = transactionalProducer()) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("fixture.compacted", "ns-1", "committed-1"));
            producer.send(new ProducerRecord<>("fixture.compacted", "ns-2", "committed-2"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("fixture.compacted", "ns-1", "aborted"));
            producer.flush();
            producer.abortTransaction();
        }
        List<ConsumerRecord<String, String>> records =
                KAFKA.readAll("fixture.compacted", new StringDeserializer(), new StringDeserializer());
        Map<String, String> byKey = records.stream()
                .collect(java.util.stream.Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value));
        assertEquals(Map.of("ns-1", "committed-1", "ns-2", "committed-2"), byKey);
        assertEquals(2, records.size());
    }

    @Test
    void shouldAcceptFourMebibyteRecords() {
        KAFKA.createTopic("fixture.large", 1, false);
        String big = "x".repeat(4 * 1024 * 1024);
        Properties p = producerProperties();
        p.put("max.request.size", Integer.toString(8 * 1024 * 1024));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            Await.value(Duration.ofSeconds(30), () -> send(producer, "fixture.large", big), ok -> ok,
                    "a 4 MiB record to be acknowledged");
        }
        assertEquals(big.length(), KAFKA.readAll("fixture.large", new StringDeserializer(), new StringDeserializer())
                .get(0).value().length());
    }

    private static boolean send(KafkaProducer<String, String> producer, String topic, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, "k", value)).get();
            return true;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KafkaProducer<String, String> transactionalProducer() {
        Properties p = producerProperties();
        p.put("transactional.id", "fixture-it");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private static Properties producerProperties() {
        Properties p = new Properties();
        p.put("bootstrap.servers", KAFKA.bootstrapServers());
        p.put("acks", "all");
        return p;
    }
}
