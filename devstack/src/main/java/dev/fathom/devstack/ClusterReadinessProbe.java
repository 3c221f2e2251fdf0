package dev.fathom.devstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;

/**
 * Waits until every running node of a {@link LocalKafka} cluster serves requests and sees all running nodes
 * registered. Each node is asked through an Admin bootstrapped to that node alone, so a restarted node counts only
 * once its new process answers (not while its previous registration is still within the session timeout).
 * Not thread-safe; used by {@link LocalKafka} under its lock.
 */
final class ClusterReadinessProbe {

    private static final long POLL_PAUSE_MS = 50;
    private static final long CALL_TIMEOUT_MS = 3000;

    private ClusterReadinessProbe() {
    }

    /**
     * Blocks until each node in {@code nodes} whose {@link KafkaNode#isRunning()} is true reports all running node
     * ids in describeCluster.
     *
     * @throws IllegalStateException when a node dies (naming its log) or the timeout passes
     */
    static void await(Map<Integer, KafkaNode> nodes, KafkaPorts ports, Duration timeout, String where) {
        Set<Integer> expected = nodes.entrySet().stream().filter(e -> e.getValue().isRunning())
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
        Map<Integer, Admin> admins = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastProblem = "no answer yet";
        try {
            Set<Integer> ready = new TreeSet<>();
            while (true) {
                for (int i : expected) {
                    nodes.get(i).failure().ifPresent(f -> {
                        throw new IllegalStateException("Kafka cluster in " + where + " failed to start: " + f);
                    });
                    if (!ready.contains(i)) {
                        String problem = probe(i, ports, admins, expected);
                        if (problem == null) {
                            ready.add(i);
                        } else {
                            lastProblem = problem;
                        }
                    }
                }
                if (ready.equals(expected)) {
                    return;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("Kafka cluster in " + where + " was not ready after "
                            + timeout.toSeconds() + " s: nodes " + ready + " of " + expected + " ready; last problem: "
                            + lastProblem);
                }
                pause();
            }
        } finally {
            admins.values().forEach(a -> a.close(Duration.ofSeconds(1)));
        }
    }

    /** Returns null when node {@code index} answered with every expected id, else what is still missing. */
    private static String probe(int index, KafkaPorts ports, Map<Integer, Admin> admins, Set<Integer> expected) {
        int port = ports.broker().get(index);
        // A plain TCP probe first: an Admin pointed at a closed port logs a warning on every reconnect attempt.
        if (!accepts(port)) {
            return "node " + index + " does not accept connections on port " + port + " yet";
        }
        Admin admin = admins.computeIfAbsent(index, i -> Admin.create(adminProperties(ports.brokerAddress(i))));
        try {
            Set<Integer> seen = admin.describeCluster().nodes().get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS).stream()
                    .map(Node::id).collect(Collectors.toCollection(TreeSet::new));
            return seen.containsAll(expected) ? null
                    : "node " + index + " sees registered nodes " + seen + ", expected " + expected;
        } catch (ExecutionException | TimeoutException e) {
            return "node " + index + " did not answer describeCluster: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Kafka node " + index, e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Properties adminProperties(String bootstrap) {
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(CALL_TIMEOUT_MS));
        p.setProperty(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "50");
        p.setProperty(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
        p.setProperty(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "50");
        p.setProperty(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "200");
        return p;
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka cluster", e);
        }
    }
}
