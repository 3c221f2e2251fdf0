package dev.fathom.devstack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The broker and controller ports of every node of a {@link LocalKafka} cluster, persisted in the data directory
 * so that a restart on the same directory serves at the same addresses. Immutable and thread-safe.
 *
 * @param broker     PLAINTEXT listener port of node i at index i
 * @param controller CONTROLLER listener port of node i at index i
 */
record KafkaPorts(List<Integer> broker, List<Integer> controller) {

    static final String FILE_NAME = "ports.properties";

    KafkaPorts {
        broker = List.copyOf(broker);
        controller = List.copyOf(controller);
        if (broker.size() != controller.size()) {
            throw new IllegalArgumentException("Broker and controller port lists differ in size: " + broker + " vs " + controller);
        }
    }

    /**
     * Returns the ports to use for {@code nodes} nodes: the fixed range starting at {@code firstPort} when it is
     * positive (node i gets broker {@code firstPort + 2i} and controller {@code firstPort + 2i + 1}), else the ports
     * persisted in {@code dataDir}, else fresh free ports. The result is persisted in {@code dataDir}.
     */
    static KafkaPorts resolve(Path dataDir, int nodes, int firstPort) {
        Path file = dataDir.resolve(FILE_NAME);
        KafkaPorts ports;
        if (firstPort > 0) {
            ports = fixed(nodes, firstPort);
        } else if (Files.exists(file)) {
            ports = load(file);
            if (ports.size() != nodes) {
                throw new IllegalStateException("Kafka data directory " + dataDir + " was created for " + ports.size()
                        + " node(s) (" + file + ") but " + nodes + " were requested");
            }
        } else {
            ports = allocate(nodes);
        }
        ports.store(file);
        return ports;
    }

    int size() {
        return broker.size();
    }

    /** The bootstrap.servers string listing every node's PLAINTEXT listener. */
    String bootstrapServers() {
        return IntStream.range(0, size()).mapToObj(this::brokerAddress).collect(Collectors.joining(","));
    }

    /** The controller.quorum.voters string ({@code id@host:port,...}); node ids equal node indexes. */
    String voters() {
        return IntStream.range(0, size()).mapToObj(i -> i + "@localhost:" + controller.get(i))
                .collect(Collectors.joining(","));
    }

    String brokerAddress(int node) {
        return "localhost:" + broker.get(node);
    }

    private static KafkaPorts fixed(int nodes, int firstPort) {
        List<Integer> b = new ArrayList<>();
        List<Integer> c = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            b.add(firstPort + 2 * i);
            c.add(firstPort + 2 * i + 1);
        }
        return new KafkaPorts(b, c);
    }

    /** Holds all sockets open at once so no two nodes get the same port (a small race with other processes remains). */
    private static KafkaPorts allocate(int nodes) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 2 * nodes; i++) {
                ServerSocket socket = new ServerSocket(0);
                socket.setReuseAddress(true);
                sockets.add(socket);
            }
            List<Integer> all = sockets.stream().map(ServerSocket::getLocalPort).collect(Collectors.toList());
            return new KafkaPorts(all.subList(0, nodes), all.subList(nodes, 2 * nodes));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find free ports for " + nodes + " Kafka node(s)", e);
        } finally {
            sockets.forEach(KafkaPorts::closeQuietly);
        }
    }

    private static KafkaPorts load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read Kafka ports from " + file, e);
        }
        int nodes = Integer.parseInt(p.getProperty("nodes", "0"));
        List<Integer> b = new ArrayList<>();
        List<Integer> c = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            b.add(Integer.parseInt(require(p, "node." + i + ".broker.port", file)));
            c.add(Integer.parseInt(require(p, "node." + i + ".controller.port", file)));
        }
        return new KafkaPorts(b, c);
    }

    private void store(Path file) {
        Properties p = new Properties();
        p.setProperty("nodes", Integer.toString(size()));
        for (int i = 0; i < size(); i++) {
            p.setProperty("node." + i + ".broker.port", Integer.toString(broker.get(i)));
            p.setProperty("node." + i + ".controller.port", Integer.toString(controller.get(i)));
        }
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, "Ports of the local Kafka cluster; reused on restart so addresses stay stable");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write Kafka ports to " + file, e);
        }
    }

    private static String require(Properties p, String key, Path file) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalStateException("Missing '" + key + "' in " + file);
        }
        return v;
    }

    private static void closeQuietly(ServerSocket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // a port we only probed; nothing to release beyond the descriptor
        }
    }
}
