package dev.fathom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fathom.producer.FathomStorage;
import dev.fathom.producer.FathomStorageConfig;
import dev.fathom.schemas.Topics;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.S3Server;
import dev.fathom.testkit.TestConfigs;
import dev.fathom.worker.Worker;
import dev.fathom.worker.WorkerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test wiring shared by the CLI's worker-backed ITs: unique topics, a real {@link Worker} on the test broker and S3
 * server, storing segments through a real {@link FathomStorage} until durable, and GETs of the worker's HTTP API.
 * Stateless.
 */
final class WorkerTestbed {

    static final int PARTITIONS = 4;
    private static final AtomicInteger RUN = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private WorkerTestbed() {
    }

    static Topics uniqueTopics(String tag) {
        String p = "cli" + RUN.incrementAndGet() + "-" + tag + ".";
        return new Topics(p + "segments", p + "meta", p + "catalog", p + "dlq");
    }

    static Worker startWorker(KafkaBroker kafka, S3Server s3, Topics topics, String group, String bucket,
                              Path stateDir) {
        Map<String, Object> props = TestConfigs.worker(kafka, s3, topics, PARTITIONS, group, group + "-w", bucket,
                stateDir);
        return Worker.start(new WorkerConfig(props));
    }

    /** Stores {@code chains} (namespace → segments in frame order) and waits until every segment is durable. */
    static void storeDurably(KafkaBroker kafka, Topics topics, Map<String, List<SealedSegment>> chains)
            throws Exception {
        Map<String, Object> props = TestConfigs.node(kafka, topics, PARTITIONS, "node-" + topics.meta());
        List<CompletableFuture<Long>> durable = new ArrayList<>();
        try (FathomStorage storage = FathomStorage.start(new FathomStorageConfig(props))) {
            chains.forEach((namespace, chain) -> chain.forEach(segment -> {
                CompletableFuture<Long> done = new CompletableFuture<>();
                storage.store(namespace, segment, "default", (frame, failure) -> {
                    if (failure == null) {
                        done.complete(frame);
                    } else {
                        done.completeExceptionally(failure);
                    }
                });
                durable.add(done);
            }));
            CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
    }

    /** GET {@code path} of the worker's API: status code and parsed body. */
    static Answer get(Worker worker, String path) {
        return get(worker.meta().httpAddress(), path);
    }

    static Answer get(URI base, String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Options naming {@code topics} for fathom commands. */
    static List<String> topicOptions(Topics topics) {
        return List.of("--segments-topic", topics.segments(), "--meta-topic", topics.meta(), "--catalog-topic",
                topics.catalog(), "--dlq-topic", topics.deadLetters());
    }

    /** S3 options for fathom commands reading {@code bucket} (no prefix). */
    static List<String> s3Options(S3Server s3, String bucket) {
        return List.of("--s3-endpoint", s3.endpoint().toString(), "--bucket", bucket, "--region", s3.region(),
                "--path-style", "--access-key", s3.accessKey(), "--secret-key", s3.secretKey());
    }

    /** An HTTP answer of the worker. */
    record Answer(int status, JsonNode body) {
    }
}
