package dev.fathom.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaIT {

    @TempDir
    Path dir;

    @Test
    void shouldKeepRecordsClusterIdAndPortAcrossRestartOnTheSameDataDir() throws Exception {
        String bootstrap;
        String clusterId;
        try (LocalKafka kafka = LocalKafka.builder().nodes(1).dataDir(dir).build()) {
            long t0 = System.nanoTime();
            kafka.start();
            System.err.printf("in-process broker ready in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            bootstrap = kafka.bootstrapServers();
            TestClients.createTopic(bootstrap, "devstack.test", 2);
            TestClients.produce(bootstrap, "devstack.test", "ns-1", "hello");
            assertEquals(List.of("hello"), values(TestClients.readAll(bootstrap, "devstack.test", Duration.ofSeconds(20))));
            clusterId = Files.readString(dir.resolve("cluster.id")).trim();
        }
        assertTrue(Files.exists(dir.resolve("node0/meta.properties")), "node0 formatted");

        try (LocalKafka again = LocalKafka.builder().nodes(1).dataDir(dir).build()) {
            long t0 = System.nanoTime();
            again.start();
            System.err.printf("in-process broker restarted in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertEquals(bootstrap, again.bootstrapServers(), "same bootstrap port after restart");
            assertEquals(clusterId, Files.readString(dir.resolve("cluster.id")).trim());
            List<ConsumerRecord<String, String>> records =
                    TestClients.readAll(again.bootstrapServers(), "devstack.test", Duration.ofSeconds(20));
            assertEquals(List.of("hello"), values(records));
            assertEquals("ns-1", records.get(0).key());
        }
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
