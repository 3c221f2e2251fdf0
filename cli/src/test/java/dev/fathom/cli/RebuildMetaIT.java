package dev.fathom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fathom.cli.FathomCliTest.Run;
import dev.fathom.cli.WorkerTestbed.Answer;
import dev.fathom.schemas.Topics;
import dev.fathom.schemas.format.CompactedSegmentObjects;
import dev.fathom.schemas.format.CompactedSegmentWriter;
import dev.fathom.schemas.format.ObjectKeys;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.S3Server;
import dev.fathom.testkit.TestSegments;
import dev.fathom.worker.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Invariant 6: meta and catalog rebuilt from a bucket listing alone. A real worker stores segments; {@code fathom
 * rebuild-meta} publishes them to new, empty meta and catalog topics; a new worker reading those topics answers the
 * same durable frames and segments (checksums included) over HTTP; a namespace with a gap is published up to the gap;
 * a second rebuild writes nothing.
 */
class RebuildMetaIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.singleNode();
    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long SEALED_AT = 1_790_000_000_000L;
    private static final String GAPPY = "gappy";

    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void shouldRebuildWhatAWorkerStoredSoThatANewWorkerAnswersTheSame() throws Exception {
        String bucket = S3.newBucket();
        Random random = new Random(42);
        Map<String, List<SealedSegment>> chains = new LinkedHashMap<>();
        chains.put("orders", TestSegments.chain(4, 1, 12, 512, 10, SEALED_AT, random));
        chains.put("users", TestSegments.chain(3, 1, 20, 1024, 6, SEALED_AT, random));
        Topics original = WorkerTestbed.uniqueTopics("orig");
        Map<String, JsonNode> before = new LinkedHashMap<>();
        try (Worker worker = WorkerTestbed.startWorker(KAFKA, S3, original, "g-orig", bucket, tmp)) {
            WorkerTestbed.storeDurably(KAFKA, original, chains);
            for (String ns : chains.keySet()) {
                long end = last(chains.get(ns)).endFrameNo();
                before.put(ns, answerAt(worker, ns, end));
                before.put(ns + "/segments", segments(worker, ns));
            }
        }
        // A namespace whose third of four segments is missing from the bucket (as if lost): published up to frame 20.
        List<SealedSegment> gappy = TestSegments.chain(4, 1, 10, 512, 8, SEALED_AT, random);
        for (SealedSegment segment : gappy) {
            if (segment != gappy.get(2)) {
                put(bucket, segment);
            }
        }

        Topics rebuilt = WorkerTestbed.uniqueTopics("rebuilt");
        Run run = rebuildMeta(bucket, rebuilt);
        assertEquals(1, run.exitCode(), "a gap makes the rebuild incomplete: " + run);
        assertTrue(line(run, "orders").contains("published   durable frame 0 -> " + last(chains.get("orders"))
                .endFrameNo() + ", 4 of 4 segments"), run::toString);
        assertTrue(line(run, GAPPY).contains("durable frame 0 -> " + gappy.get(1).endFrameNo() + ", 2 of 3"),
                run::toString);
        assertTrue(run.out().contains("missing frames " + gappy.get(2).startFrameNo()), run::toString);
        assertTrue(run.out().contains("Rebuilt 3 namespaces"), run::toString);

        try (Worker worker = WorkerTestbed.startWorker(KAFKA, S3, rebuilt, "g-rebuilt", bucket, tmp)) {
            for (String ns : chains.keySet()) {
                JsonNode after = answerAt(worker, ns, last(chains.get(ns)).endFrameNo());
                assertEquals(withoutTimes(before.get(ns)), withoutTimes(after), ns);
                assertEquals(withoutTimes(before.get(ns + "/segments")), withoutTimes(segments(worker, ns)), ns);
            }
            JsonNode gap = answerAt(worker, GAPPY, gappy.get(1).endFrameNo());
            assertEquals(gappy.get(1).id().format(), gap.path("lastSegment").path("segmentId").asText());
            assertEquals(2, segments(worker, GAPPY).path("segments").size());

            // Again: every namespace is up to date, nothing is written, the answers keep their times.
            Map<TopicPartition, Long> ends = endOffsets(rebuilt);
            JsonNode orders = answerAt(worker, "orders", last(chains.get("orders")).endFrameNo());
            Run again = rebuildMeta(bucket, rebuilt);
            assertEquals(1, again.exitCode(), again::toString);
            for (String ns : List.of("orders", "users", GAPPY)) {
                assertTrue(line(again, ns).contains("up to date"), again::toString);
            }
            assertEquals(ends, endOffsets(rebuilt), "a repeated rebuild wrote records");
            assertEquals(orders, answerAt(worker, "orders", last(chains.get("orders")).endFrameNo()));
        }
    }

    private Run rebuildMeta(String bucket, Topics topics) {
        List<String> args = new ArrayList<>(List.of("rebuild-meta", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--partitions", Integer.toString(WorkerTestbed.PARTITIONS), "--transactional-id",
                "rebuild-" + topics.meta()));
        args.addAll(WorkerTestbed.topicOptions(topics));
        args.addAll(WorkerTestbed.s3Options(S3, bucket));
        return FathomCliTest.fathom(args.toArray(String[]::new));
    }

    private static String line(Run run, String namespace) {
        return run.out().lines().filter(l -> l.trim().startsWith(namespace + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + namespace + " in " + run));
    }

    private static JsonNode answerAt(Worker worker, String ns, long durableFrameNo) {
        return Await.value(WAIT, () -> WorkerTestbed.get(worker, "/v1/namespaces/" + ns),
                a -> a.status() == 200 && a.body().path("durableFrameNo").asLong() == durableFrameNo
                        && a.body().path("lastSegment").has("dataKey"), // its catalog record is materialised too
                "namespace " + ns + " durable at frame " + durableFrameNo).body();
    }

    private static JsonNode segments(Worker worker, String ns) {
        Answer answer = WorkerTestbed.get(worker, "/v1/namespaces/" + ns + "/segments?from=1&to=1000000");
        assertEquals(200, answer.status(), answer::toString);
        return answer.body();
    }

    /** The document without the commit and update times, which a rebuild sets to its own time. */
    private static JsonNode withoutTimes(JsonNode doc) {
        JsonNode copy = doc.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(List.of("updatedAt", "updatedAtMs", "committedAt", "committedAtMs"));
        }
        node.forEach(RebuildMetaIT::strip);
    }

    private Map<TopicPartition, Long> endOffsets(Topics topics) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        for (String topic : List.of(topics.meta(), topics.catalog())) {
            for (int p = 0; p < WorkerTestbed.PARTITIONS; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
        }
        Map<TopicPartition, Long> ends = new LinkedHashMap<>();
        KAFKA.admin().listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    private static void put(String bucket, SealedSegment segment) {
        CompactedSegmentObjects objects = CompactedSegmentWriter.write(segment);
        S3.client().putObject(b -> b.bucket(bucket).key(ObjectKeys.dataKey("", GAPPY, segment.id())),
                RequestBody.fromBytes(objects.data()));
        S3.client().putObject(b -> b.bucket(bucket).key(ObjectKeys.indexKey("", GAPPY, segment.id())),
                RequestBody.fromBytes(objects.index()));
    }

    private static SealedSegment last(List<SealedSegment> chain) {
        return chain.get(chain.size() - 1);
    }
}
