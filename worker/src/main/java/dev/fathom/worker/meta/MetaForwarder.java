package dev.fathom.worker.meta;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Forwards a meta query to the worker that owns the namespace, over HTTP, marking it so the owner answers from its
 * own stores and never forwards again. Thread-safe (one shared {@link HttpClient}).
 */
final class MetaForwarder {

    /** Marks a forwarded request; its value is the id of the worker that forwarded it. */
    static final String FORWARDED_BY_HEADER = "X-Fathom-Forwarded-By";
    /** Names the worker whose stores answered. */
    static final String SERVED_BY_HEADER = "X-Fathom-Served-By";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    /** The owner's answer, passed on as is. */
    record Reply(int status, byte[] body, String servedBy) {
    }

    private final HttpClient client;
    private final String workerId;

    MetaForwarder(String workerId) {
        this.workerId = workerId;
        this.client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /**
     * GETs {@code pathAndQuery} (raw, already encoded) from {@code owner}. An unreachable owner or a 503 answer
     * (the owner lost the partition meanwhile) becomes {@link MetaUnavailableException}, which the router retries.
     */
    Reply get(NamespaceOwner owner, String pathAndQuery) {
        String host = owner.host().host().contains(":") ? "[" + owner.host().host() + "]" : owner.host().host();
        URI uri = URI.create("http://" + host + ":" + owner.host().port() + pathAndQuery);
        HttpRequest request = HttpRequest.newBuilder(uri).GET().timeout(REQUEST_TIMEOUT)
                .header(FORWARDED_BY_HEADER, workerId).build();
        HttpResponse<byte[]> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new MetaUnavailableException("Forwarding " + uri + " to the owner of partition "
                    + owner.partition() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MetaUnavailableException("Interrupted while forwarding " + uri, e);
        }
        if (response.statusCode() == 503) {
            throw new MetaUnavailableException("Owner " + uri.getAuthority() + " answered 503: "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return new Reply(response.statusCode(), response.body(),
                response.headers().firstValue(SERVED_BY_HEADER).orElse("unknown"));
    }
}
