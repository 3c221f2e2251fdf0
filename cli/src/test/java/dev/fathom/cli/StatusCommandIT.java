package dev.fathom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fathom.cli.FathomCliTest.Run;
import dev.fathom.schemas.NamespacePartitioner;
import dev.fathom.schemas.Topics;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.S3Server;
import dev.fathom.testkit.TestSegments;
import dev.fathom.worker.Worker;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fathom status} against a real worker: the durable frame, last segment and size of a stored namespace, the
 * group's lag on its partition (text and JSON), exit 1 for an unknown namespace (404) and for a dead URL with a
 * message saying the worker cannot be reached, exit 2 for an invalid namespace. Also {@code restore --meta-url}
 * (segment list from the worker, progress lines on stderr) and {@code segments list} falling back to the bucket.
 */
class StatusCommandIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.singleNode();
    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final String NS = "inventory";

    @TempDir
    Path tmp;

    @Test
    @Timeout(90)
    void shouldReportAStoredNamespaceAndRefuseUnknownOnesAndDeadWorkers() throws Exception {
        String bucket = S3.newBucket();
        Topics topics = WorkerTestbed.uniqueTopics("status");
        List<SealedSegment> chain = TestSegments.chain(2, 1, 15, 1024, 6, 1_790_000_000_000L, new Random(3));
        SealedSegment last = chain.get(chain.size() - 1);
        try (Worker worker = WorkerTestbed.startWorker(KAFKA, S3, topics, "g-status", bucket, tmp)) {
            WorkerTestbed.storeDurably(KAFKA, topics, Map.of(NS, chain));
            String url = worker.meta().httpAddress().toString();
            Await.until(Duration.ofSeconds(30), () -> WorkerTestbed.get(worker, "/v1/namespaces/" + NS).status()
                    == 200, "the worker answers for " + NS);

            Run text = status(NS, "--meta-url", url, "--bootstrap-servers", KAFKA.bootstrapServers(), "--group",
                    "g-status", "--segments-topic", topics.segments());
            assertEquals(0, text.exitCode(), text::toString);
            assertTrue(text.out().contains("durable frame   " + last.endFrameNo()), text::toString);
            assertTrue(text.out().contains("last segment    " + last.id().format()), text::toString);
            assertTrue(text.out().contains("size            " + last.sizeAfter() + " pages x 1024 bytes"),
                    text::toString);
            int partition = NamespacePartitioner.partitionFor(NS, WorkerTestbed.PARTITIONS);
            assertTrue(text.out().contains("lag             0 records (segment chunks) of " + topics.segments()
                    + " partition " + partition + " not yet processed by group g-status"), text::toString);

            Run json = status(NS, "--meta-url", url, "--json", "--bootstrap-servers", KAFKA.bootstrapServers(),
                    "--group", "g-status", "--segments-topic", topics.segments());
            assertEquals(0, json.exitCode(), json::toString);
            JsonNode doc = new ObjectMapper().readTree(json.out());
            assertEquals(last.endFrameNo(), doc.path("durableFrameNo").asLong());
            assertEquals(last.id().format(), doc.path("lastSegment").path("segmentId").asText());
            JsonNode lag = doc.path("lag");
            assertEquals(partition, lag.path("partition").asInt());
            assertTrue(lag.path("endOffset").asLong() > 0, json::toString);
            // Everything is processed: no record past the committed offset (at most the last commit marker).
            assertEquals(0, lag.path("records").asLong(), json::toString);
            assertTrue(lag.path("counted").asBoolean(), json::toString);

            // A group that never consumed is behind by every chunk: one per (small) segment.
            Run behind = status(NS, "--meta-url", url, "--json", "--bootstrap-servers", KAFKA.bootstrapServers(),
                    "--group", "never-consumed", "--segments-topic", topics.segments());
            assertEquals(0, behind.exitCode(), behind::toString);
            JsonNode behindLag = new ObjectMapper().readTree(behind.out()).path("lag");
            assertEquals(chain.size(), behindLag.path("records").asLong(), behind::toString);
            assertEquals(-1, behindLag.path("committedOffset").asLong(), behind::toString);

            Run unknown = status("never-stored", "--meta-url", url);
            assertEquals(1, unknown.exitCode(), unknown::toString);
            assertTrue(unknown.err().contains("namespace 'never-stored' is unknown to the worker at " + url),
                    unknown::toString);

            // restore and segments list take the segment list from the same worker.
            Path restored = tmp.resolve("restored.db");
            Run restore = withS3(bucket, "restore", "--namespace", NS, "-o", restored.toString(), "--meta-url", url,
                    "--parallelism", "2");
            assertEquals(0, restore.exitCode(), restore::toString);
            assertTrue(restore.out().contains("target segment " + last.id().format()), restore::toString);
            assertTrue(restore.out().contains("frames         1.." + last.endFrameNo()), restore::toString);
            assertEquals((long) last.sizeAfter() * 1024, Files.size(restored));
            assertTrue(restore.err().lines().anyMatch(l -> l.startsWith("restore: ") && l.contains("(100%)")),
                    restore::toString);
        }

        // With no worker answering, segments list falls back to listing the bucket.
        String dead = "http://127.0.0.1:" + freePort();
        Run list = withS3(bucket, "segments", "list", NS, "--meta-url", dead);
        assertEquals(0, list.exitCode(), list::toString);
        assertTrue(list.out().contains(chain.size() + " segments"), list::toString);

        Run unreachable = status(NS, "--meta-url", dead);
        assertEquals(1, unreachable.exitCode(), unreachable::toString);
        assertTrue(unreachable.err().contains("cannot reach the worker at " + dead), unreachable::toString);

        Run invalid = status("../etc", "--meta-url", dead);
        assertEquals(2, invalid.exitCode(), invalid::toString);
    }

    private static Run status(String namespace, String... options) {
        String[] args = new String[options.length + 2];
        args[0] = "status";
        args[1] = namespace;
        System.arraycopy(options, 0, args, 2, options.length);
        return FathomCliTest.fathom(args);
    }

    private static Run withS3(String bucket, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(WorkerTestbed.s3Options(S3, bucket));
        return FathomCliTest.fathom(all.toArray(String[]::new));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
