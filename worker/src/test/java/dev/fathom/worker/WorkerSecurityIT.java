package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.producer.FathomStorage;
import dev.fathom.producer.FathomStorageConfig;
import dev.fathom.schemas.DeadLetter;
import dev.fathom.schemas.DeadLetterReason;
import dev.fathom.schemas.TopicProvisioner;
import dev.fathom.schemas.Topics;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.ForkedJvm;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.S3Server;
import dev.fathom.testkit.TestCertificates;
import dev.fathom.testkit.TestSegments;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka security and tenant isolation against a real broker whose client listeners require SCRAM-SHA-512 (one of them
 * over TLS): a worker and a node library with the right credentials make a segment durable, over SASL_PLAINTEXT and
 * over SASL_SSL with host name verification; a wrong password stops the worker at start with an authentication error; the password and the S3 secret appear in no log line, client config dump or
 * /metrics output of a forked worker; a storage profile's allow-list dead-letters other namespaces' segments and
 * hostile namespaces never produce an object key.
 */
class WorkerSecurityIT {

    private static final String USER = "fathom-svc";
    private static final String PASSWORD = "Scram-p4ss-7f3a9c-never-logged";

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.withScramUserOverTls(USER, PASSWORD);
    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    @TempDir
    Path tmp;

    @Test
    void shouldMakeASegmentDurableOverScramAndNeverShowTheSecrets() throws Exception {
        Topics topics = WorkerFixture.uniqueTopics("scram");
        String bucket = S3.newBucket();
        int httpPort = freePort();
        Map<String, Object> props = overSasl(WorkerFixture.config(KAFKA, S3, topics, "scram", "scram-w", bucket,
                tmp), PASSWORD);
        props.put("http.port", Integer.toString(httpPort));
        Path log = tmp.resolve("worker.log");
        SealedSegment segment = TestSegments.random(1, 20, 1024, 10, 1_767_225_600_000L, new Random(3));
        String metrics;
        // Fathom's own loggers at DEBUG: a secret must not leak at any level an operator may turn on.
        try (ForkedJvm worker = ForkedJvm.start(WorkerMain.class.getName(),
                List.of(WorkerFixture.write(props, tmp.resolve("worker.properties")).toString()),
                List.of("-Dorg.slf4j.simpleLogger.log.dev.fathom=debug"), log)) {
            Map<String, Object> node = overSasl(WorkerFixture.storageConfig(KAFKA, topics, "scram-node"), PASSWORD);
            CompletableFuture<Long> durable = new CompletableFuture<>();
            try (FathomStorage storage = FathomStorage.start(new FathomStorageConfig(node))) {
                storage.store("secure-db", segment, "default", (frameNo, failure) -> {
                    if (failure == null) {
                        durable.complete(frameNo);
                    } else {
                        durable.completeExceptionally(failure);
                    }
                });
                assertEquals(segment.endFrameNo(), durable.get(60, TimeUnit.SECONDS),
                        () -> "the node library saw the segment durable over SCRAM; worker log:\n" + worker.logTail(40));
            }
            assertTrue(worker.isAlive(), () -> "the worker failed:\n" + worker.logTail(40));
            assertEquals(segment.endFrameNo(), WorkerFixture.lastDurable(KAFKA, topics).get("secure-db"));
            assertEquals(2, S3.listKeys(bucket, "").size(), "the data and index objects were uploaded");
            metrics = get(URI.create("http://127.0.0.1:" + httpPort + "/metrics"));
            worker.terminate();
            worker.awaitExit(Duration.ofSeconds(30));
        }
        String output = Files.readString(log);
        assertTrue(output.contains("sasl.jaas.config = [hidden]"), "the clients' config dumps were captured, masked");
        assertTrue(metrics.contains("fathom_worker_"), "the /metrics output was captured");
        for (String secret : List.of(PASSWORD, S3.secretKey())) {
            assertFalse(output.contains(secret), "secret " + secret + " in the worker's log");
            assertFalse(metrics.contains(secret), "secret " + secret + " in /metrics");
            assertFalse(new WorkerConfig(props).values().toString().contains(secret), "secret in the config dump");
        }
    }

    @Test
    void shouldMakeASegmentDurableOverScramOnTls() throws Exception {
        Topics topics = WorkerFixture.uniqueTopics("tls");
        String bucket = S3.newBucket();
        Map<String, Object> props = overTls(WorkerFixture.config(KAFKA, S3, topics, "tls", "tls-w", bucket, tmp));
        SealedSegment segment = TestSegments.random(1, 12, 1024, 10, 1_767_225_600_000L, new Random(4));
        try (Worker worker = Worker.start(new WorkerConfig(props));
             FathomStorage storage = FathomStorage.start(new FathomStorageConfig(
                     overTls(WorkerFixture.storageConfig(KAFKA, topics, "tls-node"))))) {
            CompletableFuture<Long> durable = new CompletableFuture<>();
            storage.store("tls-db", segment, "default", (frameNo, failure) -> {
                if (failure == null) {
                    durable.complete(frameNo);
                } else {
                    durable.completeExceptionally(failure);
                }
            });
            assertEquals(segment.endFrameNo(), durable.get(60, TimeUnit.SECONDS));
            assertTrue(worker.isRunning(), () -> "the worker failed: " + worker.failure());
        }
        assertEquals(segment.endFrameNo(), WorkerFixture.lastDurable(KAFKA, topics).get("tls-db"));
        assertEquals(2, S3.listKeys(bucket, "").size());
    }

    @Test
    void shouldStopAtStartWithAnAuthenticationErrorOnAWrongPassword() {
        Topics topics = WorkerFixture.uniqueTopics("wrong-pass");
        Map<String, Object> props = overSasl(WorkerFixture.config(KAFKA, S3, topics, "wrong", "wrong-w",
                S3.newBucket(), tmp), "not-" + PASSWORD);
        long t0 = System.nanoTime();
        RuntimeException e = assertThrows(RuntimeException.class, () -> {
            try (Worker worker = Worker.start(new WorkerConfig(props))) {
                worker.awaitStop();
            }
        });
        Throwable cause = e;
        while (cause != null && !(cause instanceof SaslAuthenticationException)) {
            cause = cause.getCause();
        }
        assertTrue(cause != null, () -> "expected a SaslAuthenticationException in " + e);
        assertTrue(e.getMessage().contains("Authentication failed"), e.getMessage());
        assertTrue(e.getMessage().contains("SCRAM-SHA-512"), e.getMessage());
        assertFalse(e.toString().contains(PASSWORD), "the error does not echo the password");
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30), "it failed at start, not after retries");

        Map<String, Object> node = overSasl(WorkerFixture.storageConfig(KAFKA, topics, "wrong-node"), "x" + PASSWORD);
        RuntimeException nodeFailure = assertThrows(RuntimeException.class,
                () -> FathomStorage.start(new FathomStorageConfig(node)).close());
        assertTrue(nodeFailure.getMessage().contains("Authentication failed"), nodeFailure.getMessage());
    }

    @Test
    void shouldDeadLetterSegmentsOfNamespacesTheProfileDoesNotAllow() {
        Topics topics = WorkerFixture.uniqueTopics("allow");
        String shared = S3.newBucket();
        String tenants = S3.newBucket();
        Map<String, Object> props = overSasl(WorkerFixture.config(KAFKA, S3, topics, "allow", "allow-w", shared,
                tmp), PASSWORD);
        WorkerFixture.addProfile(props, "tenants", tenants);
        props.put("storage.profile.tenants.prefix", "t");
        props.put(NamespaceAllowList.key("tenants"), "tenant-a*");
        new TopicProvisioner(KAFKA.admin(), topics, new WorkerConfig(props).topicSettings()).ensureTopics();
        SealedSegment segment = TestSegments.random(1, 10, 1024, 8, 1_767_225_600_000L, new Random(9));
        List<String> hostile = List.of("../tenant-a1", "tenant-a1/../x", "tenant-a1/x", "tenant-a\u0000",
                "tenant-a" + "1".repeat(200));
        try (ChunkPublisher publisher = new ChunkPublisher(KAFKA.bootstrapServers(), topics.segments())) {
            publisher.publish(TestChunks.of("tenant-b1", "tenants", segment, 1));
            for (String namespace : hostile) {
                publisher.publish(TestChunks.of(namespace, "tenants", segment, 1));
            }
            publisher.publish(TestChunks.of("tenant-a1", "tenants", segment, 2));
            publisher.publish(TestChunks.of("other-db", "default", segment, 1));
        }

        try (Worker worker = Worker.start(new WorkerConfig(props))) {
            Await.until(Duration.ofSeconds(60), () -> !worker.isRunning()
                    || WorkerFixture.lastDurable(KAFKA, topics).size() == 2
                    && WorkerFixture.deadLetters(KAFKA, topics).size() == 1 + hostile.size(),
                    "tenant-a1 (tenants) and other-db (default) durable, the rest dead-lettered");
            assertTrue(worker.isRunning(), () -> "the worker failed: " + worker.failure());
        }

        Map<String, Long> durable = WorkerFixture.lastDurable(KAFKA, topics);
        assertEquals(Map.of("tenant-a1", segment.endFrameNo(), "other-db", segment.endFrameNo()), durable);
        List<DeadLetter> letters = WorkerFixture.deadLetters(KAFKA, topics);
        DeadLetter refused = letters.stream().filter(l -> l.getNamespace().equals("tenant-b1")).findFirst()
                .orElseThrow();
        assertEquals(DeadLetterReason.PROFILE_NOT_ALLOWED, refused.getReasonCode());
        assertTrue(refused.getReason().contains("storage.profile.tenants.allowed.namespaces [tenant-a*]"),
                refused.getReason());
        assertEquals("tenants", refused.getProfile());
        for (String namespace : hostile) {
            assertEquals(DeadLetterReason.INVALID_NAMESPACE, letters.stream()
                    .filter(l -> l.getNamespace().equals(namespace)).findFirst().orElseThrow().getReasonCode());
        }
        Pattern own = Pattern.compile("t/tenant-a1/segments/[0-9-]+\\.(seg|idx)");
        List<String> tenantKeys = S3.listKeys(tenants, "");
        assertEquals(2, tenantKeys.size(), tenantKeys.toString());
        tenantKeys.forEach(key -> assertTrue(own.matcher(key).matches(), key));
        S3.listKeys(shared, "").forEach(key -> assertTrue(key.startsWith("other-db/segments/"), key));
    }

    /** Points {@code props} at the SCRAM listener with {@code password}. */
    private static Map<String, Object> overSasl(Map<String, Object> props, String password) {
        props.put("bootstrap.servers", KAFKA.saslBootstrapServers());
        props.put("kafka.security.protocol", "SASL_PLAINTEXT");
        props.put("kafka.sasl.mechanism", "SCRAM-SHA-512");
        props.put("kafka.sasl.username", USER);
        props.put("kafka.sasl.password", password);
        return props;
    }

    /** Points {@code props} at the SASL_SSL listener, trusting the test broker's certificate. */
    private static Map<String, Object> overTls(Map<String, Object> props) {
        overSasl(props, PASSWORD);
        props.put("bootstrap.servers", KAFKA.saslSslBootstrapServers());
        props.put("kafka.security.protocol", "SASL_SSL");
        props.put("kafka.ssl.truststore.location", KAFKA.certificates().trustStore().toString());
        props.put("kafka.ssl.truststore.type", TestCertificates.STORE_TYPE);
        props.put("kafka.ssl.truststore.password", KAFKA.certificates().password());
        return props;
    }

    private static String get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), uri + " answered " + response.body());
        return response.body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
