package dev.fathom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Asks a worker's HTTP API what the stack needs to know: whether it is ready, and a namespace's durable frame number.
 * Short timeouts: a dead or busy worker must not hold up the status line. Thread-safe.
 */
final class StackProbe {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** True when {@code GET <api>/ready} answers 200; false on any other answer or when the worker does not answer. */
    boolean ready(URI api) throws InterruptedException {
        try {
            return get(api.resolve("/ready")).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The durable frame number of {@code namespace} from {@code GET <api>/v1/namespaces/<namespace>}; empty when the
     * namespace has no durable frame yet (404).
     *
     * @throws IOException when the worker does not answer or answers with another error
     */
    OptionalLong durableFrameNo(URI api, String namespace) throws IOException, InterruptedException {
        URI uri = api.resolve("/v1/namespaces/" + namespace);
        HttpResponse<String> response = get(uri);
        if (response.statusCode() == 404) {
            return OptionalLong.empty();
        }
        if (response.statusCode() != 200) {
            throw new IOException("GET " + uri + " answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode doc = JSON.readTree(response.body());
        return OptionalLong.of(doc.path("durableFrameNo").asLong());
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }
}
