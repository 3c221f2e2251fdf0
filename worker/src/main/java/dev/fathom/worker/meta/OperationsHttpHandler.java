package dev.fathom.worker.meta;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the operator endpoints next to the meta API: {@code GET /metrics} (Prometheus text format 0.0.4) and
 * {@code GET /ready} (200 when every {@link ReadinessReport} check passed, else 503; both with a JSON body naming
 * each check). Exact paths only (404 otherwise), GET only (405 otherwise). Thread-safe; called concurrently by the
 * HTTP server's threads.
 */
final class OperationsHttpHandler implements HttpHandler {

    /** Paths this handler serves; registered as their own contexts on {@link MetaHttpServer}. */
    static final String METRICS = "/metrics";
    static final String READY = "/ready";

    private static final Logger log = LoggerFactory.getLogger(OperationsHttpHandler.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String JSON = "application/json; charset=utf-8";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Supplier<String> metrics;
    private final Supplier<ReadinessReport> readiness;
    private final String workerId;

    OperationsHttpHandler(Supplier<String> metrics, Supplier<ReadinessReport> readiness, String workerId) {
        this.metrics = metrics;
        this.readiness = readiness;
        this.workerId = workerId;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Reply reply;
            try {
                reply = reply(exchange);
            } catch (RuntimeException e) {
                log.warn("Failed to answer {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                reply = error(500, "Internal error: " + e);
            }
            send(exchange, reply);
        }
    }

    private Reply reply(HttpExchange exchange) {
        String path = exchange.getRequestURI().getRawPath();
        if (!path.equals(METRICS) && !path.equals(READY)) {
            return error(404, "No such resource: " + path);
        }
        if (!"GET".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "GET");
            return error(405, "Method " + exchange.getRequestMethod() + " is not allowed on " + path + "; use GET");
        }
        if (path.equals(METRICS)) {
            return new Reply(200, PROMETHEUS_TEXT, metrics.get().getBytes(StandardCharsets.UTF_8));
        }
        ReadinessReport report = readiness.get();
        return new Reply(report.ready() ? 200 : 503, JSON, json(readinessDoc(report)));
    }

    private static Reply error(int status, String message) {
        return new Reply(status, JSON, json(Map.of("error", message)));
    }

    private static Map<String, Object> readinessDoc(ReadinessReport report) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("status", report.ready() ? "READY" : "NOT_READY");
        doc.put("failed", report.failed());
        List<Map<String, Object>> checks = report.checks().stream().map(c -> {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("name", c.name());
            check.put("ok", c.ok());
            check.put("detail", c.detail());
            return check;
        }).toList();
        doc.put("checks", checks);
        return doc;
    }

    private static byte[] json(Object doc) {
        try {
            return MAPPER.writeValueAsBytes(doc);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("Could not render " + doc, e);
        }
    }

    private void send(HttpExchange exchange, Reply reply) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        exchange.getResponseHeaders().set(MetaForwarder.SERVED_BY_HEADER, workerId);
        exchange.sendResponseHeaders(reply.status(), reply.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply.body());
        }
    }

    private record Reply(int status, String contentType, byte[] body) {
    }
}
