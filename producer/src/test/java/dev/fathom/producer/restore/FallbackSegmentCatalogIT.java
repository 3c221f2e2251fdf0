package dev.fathom.producer.restore;

import static dev.fathom.producer.restore.SegmentUploads.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.fathom.schemas.format.ObjectKeys;
import dev.fathom.schemas.format.SegmentId;
import dev.fathom.testkit.S3Server;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The meta API catalog and its fallback to the bucket listing, against a real S3 API and a real HTTP server in the
 * test JVM that answers what each test scripts (the worker's own API is exercised by the worker's ReadPathIT).
 */
class FallbackSegmentCatalogIT {

    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final String NS = "catalog-db";
    private static final String PREFIX = "tenants";
    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private final AtomicReference<Reply> reply = new AtomicReference<>();
    private HttpServer api;
    private String bucket;
    private List<StoredSegment> inBucket;

    private record Reply(int status, String body) {
    }

    @BeforeEach
    void start() throws IOException {
        bucket = S3.newBucket();
        inBucket = List.of(SegmentUploads.upload(S3, bucket, PREFIX, NS, segment(1, 1000, 2, 1, 2)),
                SegmentUploads.upload(S3, bucket, PREFIX, NS, segment(3, 2000, 2, 2)));
        api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.createContext("/", exchange -> {
            Reply r = reply.get();
            byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(r.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        api.start();
    }

    @AfterEach
    void stop() {
        api.stop(0);
    }

    private URI apiUrl() {
        return URI.create("http://127.0.0.1:" + api.getAddress().getPort());
    }

    private SegmentCatalog catalog(URI... urls) {
        return new FallbackSegmentCatalog(new MetaApiSegmentCatalog(List.of(urls), "default", PREFIX, TIMEOUT),
                new BucketSegmentCatalog(S3.client(), bucket, PREFIX));
    }

    @Test
    void shouldListTheBucketWhenTheMetaApiIsUnreachable() throws IOException {
        URI dead;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        assertEquals(inBucket, catalog(dead).segments(NS));

        CatalogUnavailableException e = assertThrows(CatalogUnavailableException.class,
                () -> new MetaApiSegmentCatalog(List.of(dead), "default", PREFIX, TIMEOUT).segments(NS));
        assertTrue(e.getMessage().contains(dead + "/v1/namespaces/" + NS + "/segments"), e.getMessage());
    }

    @Test
    void shouldListTheBucketWhenTheMetaApiDoesNotAnswerInTime() throws IOException {
        // Connections are accepted by the kernel (backlog) but never answered.
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            URI url = URI.create("http://127.0.0.1:" + silent.getLocalPort());
            assertEquals(inBucket, catalog(url).segments(NS));
        }
    }

    @Test
    void shouldListTheBucketOnAServerErrorButNotHideAClientError() {
        reply.set(new Reply(503, "{\"error\":\"meta stores are rebalancing\"}"));
        assertEquals(inBucket, catalog(apiUrl()).segments(NS));

        reply.set(new Reply(400, "{\"error\":\"bad query\"}"));
        RestoreException e = assertThrows(RestoreException.class, () -> catalog(apiUrl()).segments(NS));
        assertTrue(e.getMessage().contains(apiUrl().toString()) && e.getMessage().contains("400"), e.getMessage());
    }

    @Test
    void shouldTakeTheApiAnswerDerivingKeysItLacksAndKeepingOnlyTheProfile() throws IOException {
        SegmentId withKeys = new SegmentId(1, 2, 1000);
        SegmentId withoutKeys = new SegmentId(3, 3, 2000);
        reply.set(new Reply(200, "{\"namespace\":\"" + NS + "\",\"segments\":["
                + "{\"segmentId\":\"" + withoutKeys.format() + "\",\"startFrameNo\":3,\"endFrameNo\":3,"
                + "\"sealedAtMs\":2000,\"profile\":\"default\"},"
                + "{\"segmentId\":\"" + withKeys.format() + "\",\"startFrameNo\":1,\"endFrameNo\":2,"
                + "\"sealedAtMs\":1000,\"dataKey\":\"k/a.seg\",\"indexKey\":\"k/a.idx\",\"dataSize\":99,"
                + "\"profile\":\"default\"},"
                + "{\"segmentId\":\"" + new SegmentId(4, 4, 3000).format() + "\",\"profile\":\"archive\"}]}"));
        URI dead = URI.create("http://127.0.0.1:1");

        List<StoredSegment> segments = catalog(dead, apiUrl()).segments(NS);

        assertEquals(List.of(new StoredSegment(withKeys, "k/a.seg", "k/a.idx", 99),
                new StoredSegment(withoutKeys, ObjectKeys.dataKey(PREFIX, NS, withoutKeys),
                        ObjectKeys.indexKey(PREFIX, NS, withoutKeys), 0)), segments,
                "the second URL's answer, oldest first, without the other profile's segment");
    }

    @Test
    void shouldTreatNotFoundAsANamespaceWithoutSegments() {
        reply.set(new Reply(404, "{\"error\":\"namespace has no durable frames yet\"}"));
        assertEquals(List.of(), catalog(apiUrl()).segments(NS));
    }

    @Test
    void shouldRefuseAnUnusableAnswerNamingTheUrl() {
        reply.set(new Reply(200, "{\"segments\":[{\"segmentId\":\"not-an-id\"}]}"));
        RestoreException e = assertThrows(RestoreException.class, () -> catalog(apiUrl()).segments(NS));
        assertTrue(e.getMessage().contains(apiUrl().toString()) && e.getMessage().contains(NS), e.getMessage());
    }
}
