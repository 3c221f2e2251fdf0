package dev.fathom.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** The ports a {@code fathom stack} asks for: checks that requested ones are free, finds free ones. Stateless. */
final class StackPorts {

    private StackPorts() {
    }

    /** The requested worker HTTP ports, or free ones (held open together so no two workers get the same). */
    static List<Integer> workerHttpPorts(StackSettings settings) {
        if (settings.httpPort() != 0) {
            List<Integer> ports = IntStream.rangeClosed(1, settings.workers()).map(settings::workerHttpPort)
                    .boxed().toList();
            ports.forEach(p -> requireFree(p, "--http-port", "a worker's HTTP API"));
            return ports;
        }
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < settings.workers(); i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new IllegalStateException("Could not find " + settings.workers() + " free ports for the workers", e);
        } finally {
            sockets.forEach(StackPorts::closeQuietly);
        }
    }

    /** A free port of the loopback interface for {@code user} (e.g. the demo agent's operator endpoints). */
    static int freePort(String user) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("Could not find a free port for " + user, e);
        }
    }

    /**
     * Fails fast, before anything starts, when a requested port is taken (0 = any free port, nothing to check).
     *
     * @throws IllegalStateException naming the port, its user and the option to change
     */
    static void requireFree(int port, String option, String user) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("Port " + port + " for " + user + " is in use (" + e.getMessage()
                    + "); is another 'fathom stack' or 'fathom dev' running? Pass " + option
                    + " with another port, or 0 for free ports");
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // a port we only probed; nothing to release beyond the descriptor
        }
    }
}
