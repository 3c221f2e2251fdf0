package dev.fathom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fathom.producer.FathomStorage;
import dev.fathom.producer.FathomStorageConfig;
import dev.fathom.schemas.format.ObjectKeys;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.TestSegments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code fathom dev} end to end through the real library: segments stored with FathomStorage become durable, the HTTP
 * API and the bucket show them, and a second start on the same data dir serves the same state and continues it.
 */
class FathomDevIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration DURABLE_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> NAMESPACES = List.of("orders-db", "users.db");
    private static final int FIRST_RUN_SEGMENTS = 5;

    @TempDir
    Path tmp;

    @Test
    @Timeout(300)
    void shouldServeDurableFramesFromFathomStorageAndKeepThemAcrossARestart() {
        DevSettings settings = new DevSettings(tmp.resolve("fathom-data"), 0, 0, 0, "fathom", 4);
        Map<String, List<SealedSegment>> chains = new LinkedHashMap<>();
        Random random = new Random(42);
        NAMESPACES.forEach(ns -> chains.put(ns,
                TestSegments.chain(FIRST_RUN_SEGMENTS + 1, 1, 12, 4096, 16, 1_700_000_000_000L, random)));

        String bootstrap;
        try (DevStack stack = DevStack.start(settings, StartupProgress.silent())) {
            DevEndpoints endpoints = stack.endpoints();
            bootstrap = endpoints.bootstrapServers();
            Map<String, Long> durable = store(endpoints, chains, 0, FIRST_RUN_SEGMENTS);
            for (String ns : NAMESPACES) {
                long lastEnd = chains.get(ns).get(FIRST_RUN_SEGMENTS - 1).endFrameNo();
                assertEquals(lastEnd, durable.get(ns), "durable frame reported to the callbacks of " + ns);
                assertEquals(lastEnd, awaitDurableOverHttp(endpoints, ns, lastEnd).path("durableFrameNo").asLong());
            }
            assertEquals(expectedKeys(chains, FIRST_RUN_SEGMENTS), bucketKeys(endpoints),
                    "a data and an index object per segment in the bucket");
        }

        try (DevStack stack = DevStack.start(settings, StartupProgress.silent())) {
            DevEndpoints endpoints = stack.endpoints();
            assertEquals(bootstrap, endpoints.bootstrapServers(), "Kafka keeps its address on the same data dir");
            for (String ns : NAMESPACES) {
                long lastEnd = chains.get(ns).get(FIRST_RUN_SEGMENTS - 1).endFrameNo();
                JsonNode doc = awaitDurableOverHttp(endpoints, ns, lastEnd);
                assertEquals(lastEnd, doc.path("durableFrameNo").asLong(), "durable frame of " + ns + " after restart");
            }
            Map<String, Long> durable = store(endpoints, chains, FIRST_RUN_SEGMENTS, FIRST_RUN_SEGMENTS + 1);
            for (String ns : NAMESPACES) {
                long newEnd = chains.get(ns).get(FIRST_RUN_SEGMENTS).endFrameNo();
                assertEquals(newEnd, durable.get(ns), "the segment stored after the restart continues " + ns);
                awaitDurableOverHttp(endpoints, ns, newEnd);
            }
            assertEquals(expectedKeys(chains, FIRST_RUN_SEGMENTS + 1), bucketKeys(endpoints));
        }
    }

    /** Stores segments [from, to) of every chain and waits until each namespace is durable up to its last one. */
    private static Map<String, Long> store(DevEndpoints endpoints, Map<String, List<SealedSegment>> chains, int from,
            int to) {
        Map<String, Long> durable = new ConcurrentHashMap<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Map<String, Long> expected = new LinkedHashMap<>();
        chains.forEach((ns, chain) -> expected.put(ns, chain.get(to - 1).endFrameNo()));
        try (FathomStorage storage = FathomStorage.start(storageConfig(endpoints))) {
            for (int i = from; i < to; i++) {
                for (Map.Entry<String, List<SealedSegment>> e : chains.entrySet()) {
                    storage.store(e.getKey(), e.getValue().get(i), endpoints.profile(), (frameNo, failure) -> {
                        if (failure != null) {
                            failures.add(failure);
                        } else {
                            durable.merge(e.getKey(), frameNo, Math::max);
                        }
                    });
                }
            }
            Await.until(DURABLE_TIMEOUT, () -> durable.equals(expected) || !failures.isEmpty(),
                    "the durable callbacks of " + expected);
        }
        assertTrue(failures.isEmpty(), () -> "durable callbacks failed: " + failures);
        return durable;
    }

    private static FathomStorageConfig storageConfig(DevEndpoints endpoints) {
        return new FathomStorageConfig(Map.of("bootstrap.servers", endpoints.bootstrapServers(),
                "node.id", "dev-it-node"));
    }

    private static JsonNode awaitDurableOverHttp(DevEndpoints endpoints, String ns, long frameNo) {
        URI uri = URI.create(endpoints.httpApi() + "/v1/namespaces/" + ns);
        return Await.value(DURABLE_TIMEOUT, () -> get(uri), doc -> doc.path("durableFrameNo").asLong() == frameNo,
                "GET " + uri + " to answer durableFrameNo " + frameNo);
    }

    private static JsonNode get(URI uri) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during GET " + uri, e);
        }
    }

    private static Set<String> expectedKeys(Map<String, List<SealedSegment>> chains, int segments) {
        Set<String> keys = new HashSet<>();
        chains.forEach((ns, chain) -> chain.subList(0, segments).forEach(s -> {
            keys.add(ObjectKeys.dataKey("", ns, s.id()));
            keys.add(ObjectKeys.indexKey("", ns, s.id()));
        }));
        return keys;
    }

    private static Set<String> bucketKeys(DevEndpoints endpoints) {
        try (S3Client s3 = S3Client.builder().endpointOverride(endpoints.s3Endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(endpoints.accessKey(), endpoints.secretKey())))
                .forcePathStyle(true).build()) {
            Set<String> keys = new HashSet<>();
            s3.listObjectsV2Paginator(r -> r.bucket(endpoints.bucket())).contents().stream().map(S3Object::key)
                    .forEach(keys::add);
            return keys;
        }
    }
}
