package dev.fathom.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ForkedKafkaBrokerIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.forkedProcess();

    @Test
    void shouldKeepAcknowledgedRecordsWhenTheBrokerIsKilledAndRestarted() throws Exception {
        assertEquals(KafkaBroker.Mode.PROCESS, KAFKA.mode());
        KAFKA.createTopic("forked.segments", 2, false);
        String bootstrap = KAFKA.bootstrapServers();
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 20; i++) {
                producer.send(new ProducerRecord<>("forked.segments", "ns-" + i % 3, "v" + i)).get();
            }
        }
        KAFKA.kill();
        KAFKA.restart();
        assertEquals(bootstrap, KAFKA.bootstrapServers());
        List<ConsumerRecord<String, String>> records =
                KAFKA.readAll("forked.segments", new StringDeserializer(), new StringDeserializer());
        assertEquals(20, records.size());
    }

    @Test
    void shouldRefuseKillOnAnInProcessBroker() {
        try (KafkaBroker local = KafkaBroker.singleNode()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, local::kill);
            assertEquals(true, e.getMessage().contains("forkedProcess()"), e.getMessage());
        }
    }

    private static KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put("bootstrap.servers", KAFKA.bootstrapServers());
        p.put("acks", "all");
        p.put("delivery.timeout.ms", Long.toString(Duration.ofSeconds(60).toMillis()));
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }
}
