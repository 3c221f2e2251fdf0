package dev.fathom.worker.meta;

import static dev.fathom.worker.meta.MetaFixtures.durable;
import static dev.fathom.worker.meta.MetaFixtures.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.SegmentInfo;
import dev.fathom.schemas.TopicProvisioner;
import dev.fathom.schemas.TopicSettings;
import dev.fathom.schemas.Topics;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.worker.MetaHttp;
import dev.fathom.worker.MetaHttp.Reply;
import dev.fathom.worker.WorkerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two meta services in one group over a real broker: routing, forwarding, range queries, error answers, and (last)
 * one instance leaving while the other keeps answering.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetaServiceIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.singleNode();

    private static final int PARTITIONS = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Topics TOPICS = new Topics("meta-it.segments", "meta-it.meta", "meta-it.catalog",
            "meta-it.dlq");

    /** Namespace → its committed segments, oldest first (the last one is the durable frame's). */
    private static final Map<String, List<SegmentInfo>> EXPECTED = new LinkedHashMap<>();

    @TempDir
    static Path stateRoot;

    private static MetaService a;
    private static MetaService b;

    @BeforeAll
    static void startTwoInstancesAndCommitMeta() {
        new TopicProvisioner(KAFKA.admin(), TOPICS, new TopicSettings(PARTITIONS, (short) -1,
                Duration.ofDays(1).toMillis(), 8 << 20)).ensureTopics();
        List<String> namespaces = new ArrayList<>(List.of("db", "db2", "db.x"));
        IntStream.range(0, 17).mapToObj(i -> String.format("tenant-%02d", i)).forEach(namespaces::add);
        for (int k = 0; k < namespaces.size(); k++) {
            String ns = namespaces.get(k);
            long length = 10 + k;
            EXPECTED.put(ns, IntStream.range(0, 1 + k % 3)
                    .mapToObj(i -> segment(ns, 1 + i * length, (i + 1) * length)).toList());
        }
        new MetaRecordWriter(KAFKA.bootstrapServers(), TOPICS, PARTITIONS).commit(EXPECTED);

        long t0 = System.nanoTime();
        a = start("meta-a");
        b = start("meta-b");
        Await.until(TIMEOUT, () -> a.isRunning() && b.isRunning(), "both meta services to be RUNNING");
        System.out.printf("MetaServiceIT: both instances RUNNING after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        for (String ns : EXPECTED.keySet()) {
            long durable = last(ns).getEndFrameNo();
            Await.until(TIMEOUT, () -> get(a, "/v1/namespaces/" + ns).json().path("durableFrameNo").asLong() == durable,
                    "namespace " + ns + " to be durable at frame " + durable);
        }
    }

    @AfterAll
    static void closeInstances() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @Test
    void shouldAnswerEveryNamespaceOnBothInstancesFromItsOwner() {
        Map<String, Long> nanos = new HashMap<>(Map.of("local", 0L, "forwarded", 0L));
        Map<String, Integer> counts = new HashMap<>(Map.of("local", 0, "forwarded", 0));
        askBothInstancesAboutEveryNamespace(new HashMap<>(), new HashMap<>()); // warms up connections and JIT
        askBothInstancesAboutEveryNamespace(nanos, counts);
        assertTrue(counts.get("forwarded") >= EXPECTED.size(), "every namespace was forwarded by one instance");
        assertTrue(counts.get("local") > 0, "some namespaces were answered locally: " + counts);
        System.out.printf("MetaServiceIT: GET /v1/namespaces/{ns} local avg %.2f ms (%d), forwarded avg %.2f ms (%d)%n",
                nanos.get("local") / 1e6 / counts.get("local"), counts.get("local"),
                nanos.get("forwarded") / 1e6 / counts.get("forwarded"), counts.get("forwarded"));
    }

    private static void askBothInstancesAboutEveryNamespace(Map<String, Long> nanos, Map<String, Integer> counts) {
        for (String ns : EXPECTED.keySet()) {
            Reply fromA = timed(a, "meta-a", "/v1/namespaces/" + ns, nanos, counts);
            Reply fromB = timed(b, "meta-b", "/v1/namespaces/" + ns, nanos, counts);
            for (Reply reply : List.of(fromA, fromB)) {
                assertEquals(200, reply.status(), reply.json().toString());
                assertEquals(ns, reply.json().get("namespace").asText());
                assertEquals(last(ns).getEndFrameNo(), reply.json().get("durableFrameNo").asLong());
                assertEquals(last(ns).getSegmentId(), reply.json().get("lastSegment").get("segmentId").asText());
                assertEquals(last(ns).getDataKey(), reply.json().get("lastSegment").get("dataKey").asText());
            }
            assertEquals(fromA.json(), fromB.json());
            assertEquals(fromA.servedBy(), fromB.servedBy(), "both instances must route " + ns + " to one owner");
        }
    }

    @Test
    void shouldNeverShowAnAbortedOrOlderDurableFrame() {
        // MetaRecordWriter aborted a transaction with a far higher frame for "db.x", then committed an older one.
        for (MetaService instance : List.of(a, b)) {
            assertEquals(Optional.of(durable("db.x", last("db.x").getStartFrameNo(), last("db.x").getEndFrameNo())),
                    instance.durableFrame("db.x"));
        }
    }

    @Test
    void shouldListSegmentsAndFilterThemByFrameRange() {
        for (String ns : EXPECTED.keySet()) {
            List<SegmentInfo> all = EXPECTED.get(ns);
            for (MetaService instance : List.of(a, b)) {
                assertEquals(all, instance.segments(ns, 1, Long.MAX_VALUE), ns);
                assertEquals(all.stream().map(SegmentInfo::getSegmentId).toList(), segmentIds(instance, ns, ""));
                assertEquals(List.of(all.get(0).getSegmentId()), segmentIds(instance, ns, "?from=1&to=1"));
                SegmentInfo newest = all.get(all.size() - 1);
                assertEquals(List.of(newest.getSegmentId()),
                        segmentIds(instance, ns, "?from=" + newest.getEndFrameNo()));
                assertEquals(List.of(), segmentIds(instance, ns, "?from=" + (newest.getEndFrameNo() + 1)));
            }
        }
        List<SegmentInfo> tenant2 = EXPECTED.get("tenant-02");
        assertEquals(tenant2.subList(1, 3), a.segments("tenant-02", tenant2.get(1).getEndFrameNo(),
                tenant2.get(2).getStartFrameNo()));
    }

    @Test
    void shouldAnswerBadRequestsWithClearErrors() {
        Reply invalid = get(a, "/v1/namespaces/bad%20name");
        assertEquals(400, invalid.status());
        assertTrue(invalid.json().get("error").asText().startsWith("Invalid namespace"), invalid.json().toString());
        assertEquals(400, get(b, "/v1/namespaces/a%2Fb/segments").status());

        Reply badNumber = get(a, "/v1/namespaces/db/segments?from=1&to=ten");
        assertEquals(400, badNumber.status());
        assertTrue(badNumber.json().get("error").asText().contains("'to'"), badNumber.json().toString());

        for (MetaService instance : List.of(a, b)) {
            Reply unknown = get(instance, "/v1/namespaces/unknown-db");
            assertEquals(404, unknown.status());
            assertEquals("namespace 'unknown-db' has no durable frames yet", unknown.json().get("error").asText());
            assertEquals(Optional.empty(), instance.durableFrame("unknown-db"));
        }
        assertEquals(404, get(a, "/v2/nothing").status());
        assertEquals(405, send(a, "/v1/namespaces/db", "POST").status());
        assertEquals(405, send(b, "/v1/namespaces/db/segments", "DELETE").status());
        Reply health = get(b, "/health");
        assertEquals(200, health.status());
        assertEquals("UP", health.json().get("status").asText());
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void shouldAnswerThroughTheRebalanceWhenTheOtherInstanceLeaves() {
        b.close();
        long t0 = System.nanoTime();
        // No waiting here: the router itself must ride out the rebalance (stale owner, restoring stores).
        for (String ns : EXPECTED.keySet()) {
            assertEquals(Optional.of(durable(ns, last(ns).getStartFrameNo(), last(ns).getEndFrameNo())),
                    a.durableFrame(ns), ns);
            Reply reply = get(a, "/v1/namespaces/" + ns + "/segments");
            assertEquals(200, reply.status(), reply.json().toString());
            assertEquals("meta-a", reply.servedBy());
        }
        System.out.printf("MetaServiceIT: all namespaces answered by meta-a %d ms after meta-b left%n",
                (System.nanoTime() - t0) / 1_000_000);
    }

    private static MetaService start(String workerId) {
        Map<String, Object> props = new HashMap<>();
        props.put(WorkerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(WorkerConfig.GROUP_ID_CONFIG, "meta-it");
        props.put(WorkerConfig.WORKER_ID_CONFIG, workerId);
        props.put(WorkerConfig.TOPIC_SEGMENTS_CONFIG, TOPICS.segments());
        props.put(WorkerConfig.TOPIC_META_CONFIG, TOPICS.meta());
        props.put(WorkerConfig.TOPIC_CATALOG_CONFIG, TOPICS.catalog());
        props.put(WorkerConfig.TOPIC_DLQ_CONFIG, TOPICS.deadLetters());
        props.put(WorkerConfig.HTTP_LISTEN_HOST_CONFIG, "127.0.0.1");
        props.put(WorkerConfig.HTTP_PORT_CONFIG, "0");
        props.put(WorkerConfig.HTTP_ADVERTISED_HOST_CONFIG, "127.0.0.1");
        props.put(WorkerConfig.STATE_DIR_CONFIG, stateRoot.resolve(workerId).toString());
        props.put("storage.profile.default.bucket", "unused-by-the-meta-service");
        MetaService service = new MetaService(new WorkerConfig(props));
        service.start();
        return service;
    }

    private static SegmentInfo last(String ns) {
        List<SegmentInfo> segments = EXPECTED.get(ns);
        return segments.get(segments.size() - 1);
    }

    private static List<String> segmentIds(MetaService instance, String ns, String query) {
        Reply reply = get(instance, "/v1/namespaces/" + ns + "/segments" + query);
        assertEquals(200, reply.status(), reply.json().toString());
        List<String> ids = new ArrayList<>();
        reply.json().get("segments").forEach(s -> ids.add(s.get("segmentId").asText()));
        return ids;
    }

    private static Reply timed(MetaService instance, String workerId, String path, Map<String, Long> nanos,
                               Map<String, Integer> counts) {
        long t0 = System.nanoTime();
        Reply reply = get(instance, path);
        String kind = reply.servedBy().equals(workerId) ? "local" : "forwarded";
        nanos.merge(kind, System.nanoTime() - t0, Long::sum);
        counts.merge(kind, 1, Integer::sum);
        if (kind.equals("forwarded")) {
            assertNotEquals(workerId, reply.servedBy());
        }
        return reply;
    }

    private static Reply get(MetaService instance, String path) {
        return MetaHttp.get(instance.httpAddress(), path);
    }

    private static Reply send(MetaService instance, String path, String method) {
        return MetaHttp.send(instance.httpAddress(), path, method);
    }
}
