package dev.fathom.producer.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's operator endpoints on {@code http.port} (JDK {@link HttpServer}): {@code GET /metrics} (Prometheus
 * text format 0.0.4), {@code GET /health} (200 while the agent runs, 503 once it is closing or publishing stopped)
 * and {@code GET /ready} (200 when every {@link AgentReadiness} check passes, else 503; JSON naming each check).
 * Exact paths only (404 otherwise), GET only (405 otherwise). Thread-safe; closed by {@link Agent}.
 */
final class AgentHttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AgentHttpServer.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String JSON = "application/json; charset=utf-8";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Scrapes and probes are short; two threads keep a slow scrape from blocking a probe. */
    private static final int THREADS = 2;

    static {
        // Without TCP_NODELAY the JDK server's body waits for the client's delayed ACK (~45 ms per request).
        System.getProperties().putIfAbsent("sun.net.httpserver.nodelay", "true");
    }

    /** What the endpoints answer from; each supplier is called on a request thread. */
    record Sources(Supplier<String> metrics, Supplier<AgentReadiness.Report> readiness, BooleanSupplier alive) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Sources sources;

    private AgentHttpServer(HttpServer server, ExecutorService executor, Sources sources) {
        this.server = server;
        this.executor = executor;
        this.sources = sources;
    }

    /**
     * Binds {@code host:port} (0 = any free port) and starts serving.
     *
     * @throws UncheckedIOException naming the address when it cannot be bound
     */
    static AgentHttpServer start(String host, int port, Sources sources) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
            AtomicInteger threads = new AtomicInteger();
            ExecutorService executor = Executors.newFixedThreadPool(THREADS, r -> {
                Thread thread = new Thread(r, "fathom-agent-http-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            AgentHttpServer http = new AgentHttpServer(server, executor, sources);
            server.createContext("/", http::handle);
            server.start();
            return http;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not bind the agent's HTTP port to " + host + ":" + port
                    + " (http.listen.host, http.port)", e);
        }
    }

    /** Returns the bound port. */
    int port() {
        return server.getAddress().getPort();
    }

    /** Returns the base URL on the loopback interface, e.g. {@code http://127.0.0.1:9095}. */
    URI localAddress() {
        return URI.create("http://127.0.0.1:" + port());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Reply reply;
            try {
                reply = reply(exchange);
            } catch (RuntimeException e) {
                log.warn("Failed to answer {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                reply = json(500, Map.of("error", "Internal error: " + e));
            }
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.sendResponseHeaders(reply.status(), reply.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply.body());
            }
        }
    }

    private Reply reply(HttpExchange exchange) {
        String path = exchange.getRequestURI().getRawPath();
        if (!List.of("/metrics", "/health", "/ready").contains(path)) {
            return json(404, Map.of("error", "No such resource: " + path + "; the agent serves /metrics, /health"
                    + " and /ready"));
        }
        if (!"GET".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "GET");
            return json(405, Map.of("error", "Method " + exchange.getRequestMethod() + " is not allowed on " + path
                    + "; use GET"));
        }
        return switch (path) {
            case "/metrics" -> new Reply(200, PROMETHEUS_TEXT,
                    sources.metrics().get().getBytes(StandardCharsets.UTF_8));
            case "/health" -> sources.alive().getAsBoolean() ? json(200, Map.of("status", "UP"))
                    : json(503, Map.of("status", "DOWN"));
            default -> readiness(sources.readiness().get());
        };
    }

    private static Reply readiness(AgentReadiness.Report report) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("status", report.ready() ? "READY" : "NOT_READY");
        doc.put("failed", report.failed());
        doc.put("checks", report.checks().stream().map(c -> {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("name", c.name());
            check.put("ok", c.ok());
            check.put("detail", c.detail());
            return check;
        }).toList());
        return json(report.ready() ? 200 : 503, doc);
    }

    private static Reply json(int status, Object doc) {
        try {
            return new Reply(status, JSON, MAPPER.writeValueAsBytes(doc));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("Could not render " + doc, e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private record Reply(int status, String contentType, byte[] body) {
    }
}
