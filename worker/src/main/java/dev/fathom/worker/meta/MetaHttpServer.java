package dev.fathom.worker.meta;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meta service's HTTP listener (JDK {@link HttpServer}): bound first, so Streams can advertise the real port,
 * started once the handler exists. Thread-safe; closed by {@link MetaService}.
 */
final class MetaHttpServer implements AutoCloseable {

    /**
     * Queries block while they wait for a rebalance or a forwarded answer; enough threads that requests forwarded
     * between two workers in both directions do not starve each other.
     */
    private static final int THREADS = 16;

    static {
        // The JDK server writes headers and body in two segments; with Nagle on, the body waits for the client's
        // delayed ACK: ~45 ms per request instead of ~2 ms on loopback. Read once, when the first server is built.
        System.getProperties().putIfAbsent("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private MetaHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds {@code host:port} (port 0 = any free port) without serving yet. */
    static MetaHttpServer bind(String host, int port) {
        InetSocketAddress address = new InetSocketAddress(host, port);
        try {
            HttpServer server = HttpServer.create(address, 0);
            ExecutorService executor = Executors.newFixedThreadPool(THREADS, threadFactory());
            server.setExecutor(executor);
            return new MetaHttpServer(server, executor);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not bind the meta HTTP server to " + host + ":" + port, e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Serves {@code path} with {@code handler} instead of the handler given to {@link #start}. */
    void route(String path, HttpHandler handler) {
        server.createContext(path, handler);
    }

    void start(HttpHandler handler) {
        server.createContext("/", handler);
        server.start();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static ThreadFactory threadFactory() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "fathom-meta-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
