package dev.fathom.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Client of a worker's meta HTTP API for tests: sends a request, parses the JSON body and reads which instance
 * served it. Thread-safe.
 */
public final class MetaHttp {

    /** Response header naming the worker that answered (the owner, when the request was forwarded). */
    public static final String SERVED_BY_HEADER = "X-Fathom-Served-By";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private MetaHttp() {
    }

    /** One answer: status code, JSON body, and the worker id from {@link #SERVED_BY_HEADER} ("" when absent). */
    public record Reply(int status, JsonNode json, String servedBy) {
    }

    /** Sends {@code GET base + path}. */
    public static Reply get(URI base, String path) {
        return send(base, path, "GET");
    }

    /**
     * Sends a request without a body.
     *
     * @throws UncheckedIOException when the request fails or the body is not JSON (retried by {@code Await})
     */
    public static Reply send(URI base, String path, String method) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), JSON.readTree(response.body()),
                    response.headers().firstValue(SERVED_BY_HEADER).orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + method + " " + request.uri(), e);
        }
    }
}
