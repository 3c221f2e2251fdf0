package dev.fathom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.cli.FathomCliTest.Run;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fathom stack} options, errors before anything starts, and the banner; no process is started. */
class StackCommandTest {

    @TempDir
    Path tmp;

    @Test
    void shouldListEveryOptionWithItsDefaultInTheHelp() {
        Run help = FathomCliTest.fathom("stack", "--help");
        assertEquals(0, help.exitCode(), help::toString);
        for (String expected : List.of("--data-dir", "fathom-stack", "--workers", "--kafka-nodes", "--no-demo",
                "--kafka-port", "29092", "--s3-port", "29000", "--http-port", "8081", "--bucket", "--partitions",
                "--status-interval", "Exit codes:")) {
            assertTrue(help.out().contains(expected), () -> "missing '" + expected + "' in " + help);
        }
    }

    @Test
    void shouldExitWithTwoNamingTheOptionBeforeStartingAnything() {
        Path dataDir = tmp.resolve("never-created");
        for (String[] args : List.of(new String[] {"--workers", "0"}, new String[] {"--kafka-nodes", "10"},
                new String[] {"--bucket", "Not_A_Bucket"}, new String[] {"--http-port", "65535"},
                new String[] {"--status-interval", "0"}, new String[] {"--partitions", "0"})) {
            Run run = FathomCliTest.fathom("stack", "--data-dir", dataDir.toString(), args[0], args[1]);
            assertEquals(2, run.exitCode(), run::toString);
            assertTrue(run.err().contains(args[0]), () -> "the message names " + args[0] + ": " + run);
        }
        assertTrue(Files.notExists(dataDir), "nothing was started");
    }

    @Test
    void shouldExitWithOneNamingThePortWhenARequestedPortIsTakenBeforeStartingKafka() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run run = FathomCliTest.fathom("stack", "--data-dir", tmp.resolve("data").toString(), "--kafka-port", "0",
                    "--s3-port", Integer.toString(taken.getLocalPort()), "--http-port", "0");
            assertEquals(1, run.exitCode(), run::toString);
            assertTrue(run.err().contains("Port " + taken.getLocalPort()), run::toString);
            assertTrue(run.err().contains("--s3-port"), run::toString);
            assertTrue(Files.notExists(tmp.resolve("data").resolve("kafka")), "Kafka was not started");
        }
    }

    @Test
    void shouldShowEveryEndpointPidLogAndHowToTryIt() {
        Path dir = Path.of("/data/stack");
        StackEndpoints endpoints = new StackEndpoints(dir, "localhost:29092,localhost:29094",
                List.of(dir.resolve("kafka/node0.log"), dir.resolve("kafka/node1.log")),
                URI.create("http://127.0.0.1:29000"), "wal", "fathom", "s3cret",
                List.of(new StackEndpoints.Member("worker-1", 101, URI.create("http://127.0.0.1:8081"),
                                dir.resolve("workers/worker-1.properties"), dir.resolve("logs/worker-1.log")),
                        new StackEndpoints.Member("worker-2", 102, URI.create("http://127.0.0.1:8082"),
                                dir.resolve("workers/worker-2.properties"), dir.resolve("logs/worker-2.log"))),
                new StackEndpoints.Member("agent", 103, URI.create("http://127.0.0.1:8090"),
                        dir.resolve("demo/agent.properties"),
                        dir.resolve("logs/agent.log")),
                dir.resolve("demo/demo.db"));
        String banner = StackBanner.render(endpoints);
        for (String expected : List.of("/data/stack", "localhost:29092,localhost:29094", "2 KRaft node(s)",
                "/data/stack/kafka/node1.log", "http://127.0.0.1:29000", "bucket wal", "s3cret",
                "worker-1      http://127.0.0.1:8081   pid 101   log /data/stack/logs/worker-1.log",
                "worker-2      http://127.0.0.1:8082   pid 102", "/data/stack/demo/demo.db -> namespace demo   pid 103",
                "/data/stack/logs/agent.log", "curl -s http://127.0.0.1:8081/v1/namespaces/demo",
                "restore --namespace demo", "kill -9", "/metrics, /health, /ready at http://127.0.0.1:8090",
                "curl -s http://127.0.0.1:8090/metrics")) {
            assertTrue(banner.contains(expected), () -> "missing '" + expected + "' in\n" + banner);
        }
    }
}
