package dev.fathom.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForkedKafkaIT {

    @TempDir
    Path dir;

    @Test
    void shouldKeepAcknowledgedRecordsAcrossKillNineAndRestart() throws Exception {
        String classpath = Files.readString(Path.of("target/test.classpath")).trim() + File.pathSeparator
                + Path.of("target/classes").toAbsolutePath();
        try (LocalKafka kafka = LocalKafka.builder().mode(LocalKafka.Mode.PROCESS).nodes(1).dataDir(dir)
                .classpath(classpath).build()) {
            long t0 = System.nanoTime();
            kafka.start();
            System.err.printf("forked broker ready in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            String bootstrap = kafka.bootstrapServers();
            TestClients.createTopic(bootstrap, "devstack.forked", 1);
            TestClients.produce(bootstrap, "devstack.forked", "ns-1", "before-kill");

            kafka.killNode(0);
            int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
            assertThrows(ConnectException.class, () -> connect(port), "killed broker must not accept connections");

            long t1 = System.nanoTime();
            kafka.startNode(0);
            System.err.printf("forked broker restarted after kill -9 in %d ms%n", (System.nanoTime() - t1) / 1_000_000);
            assertEquals(bootstrap, kafka.bootstrapServers());
            TestClients.produce(bootstrap, "devstack.forked", "ns-1", "after-restart");
            List<String> values = TestClients.readAll(bootstrap, "devstack.forked", Duration.ofSeconds(20)).stream()
                    .map(ConsumerRecord::value).toList();
            assertEquals(List.of("before-kill", "after-restart"), values);
            assertTrue(Files.size(dir.resolve("node0.log")) > 0, "broker output goes to node0.log");
        }
    }

    @Test
    void shouldRefuseKillInProcess() {
        LocalKafka kafka = LocalKafka.builder().dataDir(dir).build();
        assertThrows(IllegalStateException.class, () -> kafka.killNode(0));
        assertFalse(Files.exists(dir.resolve("node0")), "nothing formatted before start()");
    }

    private static void connect(int port) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("localhost", port), 1000);
        }
    }
}
