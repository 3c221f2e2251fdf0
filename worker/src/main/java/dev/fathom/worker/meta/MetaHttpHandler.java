package dev.fathom.worker.meta;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.fathom.schemas.InvalidNamespaceException;
import dev.fathom.schemas.Namespace;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes and answers the meta HTTP API: {@code GET /v1/namespaces/{ns}}, {@code GET /v1/namespaces/{ns}/segments}
 * and {@code GET /health}; maps bad input to 400, unknown routes to 404, other methods to 405 and an unavailable
 * owner to 503, always with a JSON body. Thread-safe; called concurrently by the HTTP server's threads.
 */
final class MetaHttpHandler implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(MetaHttpHandler.class);
    private static final String NAMESPACES = "/v1/namespaces/";

    /** Bad request input; its message is returned to the client. */
    static final class BadRequestException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequestException(String message) {
            super(message);
        }
    }

    private final MetaQueries queries;
    private final Supplier<KafkaStreams.State> streamsState;
    private final String workerId;

    MetaHttpHandler(MetaQueries queries, Supplier<KafkaStreams.State> streamsState, String workerId) {
        this.queries = queries;
        this.streamsState = streamsState;
        this.workerId = workerId;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            MetaQueries.Answer answer;
            try {
                answer = answer(exchange);
            } catch (InvalidNamespaceException | BadRequestException e) {
                answer = MetaQueries.error(400, e.getMessage(), workerId);
            } catch (MetaUnavailableException e) {
                log.info("Answered 503 to {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(),
                        e.getMessage());
                answer = MetaQueries.error(503, e.getMessage(), workerId);
            } catch (RuntimeException e) {
                log.warn("Failed to answer {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                answer = MetaQueries.error(500, "Internal error: " + e, workerId);
            }
            send(exchange, answer);
        }
    }

    private MetaQueries.Answer answer(HttpExchange exchange) {
        String path = exchange.getRequestURI().getRawPath();
        if (path.equals("/health")) {
            return isGet(exchange) ? health() : methodNotAllowed(exchange);
        }
        if (!path.startsWith(NAMESPACES)) {
            return MetaQueries.error(404, "No such resource: " + path, workerId);
        }
        String[] parts = path.substring(NAMESPACES.length()).split("/", -1);
        boolean segments = parts.length == 2 && parts[1].equals("segments");
        if (parts.length > 2 || (parts.length == 2 && !segments)) {
            return MetaQueries.error(404, "No such resource: " + path, workerId);
        }
        if (!isGet(exchange)) {
            return methodNotAllowed(exchange);
        }
        String namespace = Namespace.of(decode(parts[0], "namespace")).value();
        boolean mayForward = !exchange.getRequestHeaders().containsKey(MetaForwarder.FORWARDED_BY_HEADER);
        if (!segments) {
            return queries.namespaceAnswer(namespace, mayForward);
        }
        FrameRangeQuery range = FrameRangeQuery.parse(exchange.getRequestURI().getRawQuery());
        return queries.segmentsAnswer(namespace, range.fromFrameNo(), range.toFrameNo(), mayForward);
    }

    private MetaQueries.Answer health() {
        KafkaStreams.State state = streamsState.get();
        boolean up = !state.hasStartedOrFinishedShuttingDown();
        byte[] json = MetaJson.write(new MetaJson.HealthDoc(up ? "UP" : "DOWN", state.toString()));
        return new MetaQueries.Answer(up ? 200 : 503, json, workerId);
    }

    private MetaQueries.Answer methodNotAllowed(HttpExchange exchange) {
        exchange.getResponseHeaders().set("Allow", "GET");
        return MetaQueries.error(405, "Method " + exchange.getRequestMethod() + " is not allowed on "
                + exchange.getRequestURI().getRawPath() + "; use GET", workerId);
    }

    private static boolean isGet(HttpExchange exchange) {
        return "GET".equals(exchange.getRequestMethod());
    }

    static String decode(String raw, String what) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("Malformed percent-encoding in " + what + " '" + raw + "'");
        }
    }

    private static void send(HttpExchange exchange, MetaQueries.Answer answer) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set(MetaForwarder.SERVED_BY_HEADER, answer.servedBy());
        exchange.sendResponseHeaders(answer.status(), answer.json().length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(answer.json());
        }
    }
}
