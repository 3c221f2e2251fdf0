package dev.fathom.producer.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fathom.schemas.Namespace;
import dev.fathom.schemas.format.ObjectKeys;
import dev.fathom.schemas.format.SegmentId;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists a namespace's segments through the workers' meta HTTP API ({@code GET /v1/namespaces/{ns}/segments}, answered
 * by any worker from the materialised catalog topic), keeping those of one storage profile. The URLs are asked in
 * order until one answers; HTTP 404 means the namespace has no durable segment yet. Object keys come from the answer,
 * or are derived from the profile's prefix when an entry has none. Thread-safe (the HTTP client is).
 */
public final class MetaApiSegmentCatalog implements SegmentCatalog {

    private static final Logger log = LoggerFactory.getLogger(MetaApiSegmentCatalog.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> baseUrls;
    private final String profile;
    private final String prefix;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * Creates a catalog asking {@code baseUrls} (worker HTTP base URLs such as {@code http://host:8080}) for the
     * segments of storage profile {@code profile}, whose keys live under {@code prefix}.
     *
     * @param timeout connect and request timeout of each attempt
     * @throws IllegalArgumentException when no URL is given
     */
    public MetaApiSegmentCatalog(List<URI> baseUrls, String profile, String prefix, Duration timeout) {
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("A meta API catalog needs at least one worker URL (meta.urls)");
        }
        this.baseUrls = List.copyOf(baseUrls);
        this.profile = profile;
        this.prefix = prefix;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public List<StoredSegment> segments(String namespace) {
        return query(Namespace.of(namespace).value(), "");
    }

    /** Asks for the segments overlapping frames after {@code frameNo} and keeps those starting after it. */
    @Override
    public List<StoredSegment> segmentsStartingAfter(String namespace, long frameNo) {
        return query(Namespace.of(namespace).value(), "?from=" + (frameNo + 1)).stream()
                .filter(s -> s.id().startFrameNo() > frameNo).toList();
    }

    private List<StoredSegment> query(String ns, String query) {
        CatalogUnavailableException unavailable = null;
        for (URI base : baseUrls) {
            URI uri = URI.create(base.toString().replaceAll("/+$", "") + "/v1/namespaces/" + ns + "/segments"
                    + query);
            try {
                HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout)
                        .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                if (status == 404) {
                    return List.of();
                }
                if (status == 200) {
                    return parse(ns, response.body(), uri);
                }
                String problem = "HTTP " + status + " " + new String(response.body(), StandardCharsets.UTF_8).strip();
                if (status < 500) {
                    throw new RestoreException("Meta API " + uri + " refused the segments query of namespace '" + ns
                            + "': " + problem);
                }
                unavailable = new CatalogUnavailableException(uri.toString(), "Meta API " + uri + " failed to list"
                        + " the segments of namespace '" + ns + "': " + problem, null);
            } catch (IOException e) {
                unavailable = new CatalogUnavailableException(uri.toString(), "Meta API " + uri + " did not answer"
                        + " the segments query of namespace '" + ns + "' (timeout " + timeout.toMillis() + " ms: "
                        + e + ")", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RestoreException("Interrupted while asking " + uri + " for the segments of namespace '"
                        + ns + "'", e);
            }
            log.debug("{}", unavailable.getMessage());
        }
        throw unavailable;
    }

    private List<StoredSegment> parse(String ns, byte[] body, URI uri) {
        List<StoredSegment> segments = new ArrayList<>();
        int otherProfiles = 0;
        try {
            JsonNode list = JSON.readTree(body).path("segments");
            if (!list.isArray()) {
                throw new IllegalArgumentException("no 'segments' array");
            }
            for (JsonNode doc : list) {
                String owner = doc.path("profile").asText(profile);
                if (owner.equals(profile)) {
                    segments.add(segment(ns, doc));
                } else {
                    otherProfiles++;
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new RestoreException("Meta API " + uri + " answered an unusable segment list for namespace '" + ns
                    + "': " + e.getMessage(), e);
        }
        if (otherProfiles > 0) {
            log.warn("Meta API {} lists {} segments of namespace {} in storage profiles other than {}; reading only"
                    + " the {} of profile {}", uri, otherProfiles, ns, profile, segments.size(), profile);
        }
        segments.sort(Comparator.comparingLong((StoredSegment s) -> s.id().startFrameNo())
                .thenComparingLong(s -> s.id().endFrameNo()));
        return segments;
    }

    private StoredSegment segment(String ns, JsonNode doc) {
        SegmentId id = doc.hasNonNull("segmentId") ? SegmentId.parse(doc.get("segmentId").asText())
                : new SegmentId(required(doc, "startFrameNo"), required(doc, "endFrameNo"),
                        required(doc, "sealedAtMs"));
        String dataKey = doc.hasNonNull("dataKey") ? doc.get("dataKey").asText() : ObjectKeys.dataKey(prefix, ns, id);
        String indexKey = doc.hasNonNull("indexKey") ? doc.get("indexKey").asText()
                : ObjectKeys.indexKey(prefix, ns, id);
        // An entry without dataSize (older workers) only makes restore progress less exact, never wrong.
        return new StoredSegment(id, dataKey, indexKey, doc.path("dataSize").asLong(0));
    }

    private static long required(JsonNode doc, String field) {
        if (!doc.path(field).canConvertToLong()) {
            throw new IllegalArgumentException("a segment entry has no number '" + field + "': " + doc);
        }
        return doc.get(field).asLong();
    }

    @Override
    public String toString() {
        return "meta API " + baseUrls + " (profile " + profile + ")";
    }
}
