package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.DeadLetter;
import dev.fathom.schemas.DeadLetterReason;
import dev.fathom.schemas.Topics;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.S3Server;
import dev.fathom.testkit.TestSegments;
import dev.fathom.worker.CorpusCase.CorpusRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every case of {@link BadInputCorpus} through one real worker (one broker, S3Proxy): each malformed input
 * gives the dead letters its case expects with the expected reason codes (or none for a harmless duplicate), the
 * namespace's durable frame ends where the case says, the worker keeps running, and a healthy namespace published
 * between the cases keeps advancing to its last frame.
 */
class BadInputCorpusIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.singleNode();
    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final String HEALTHY = "healthy";
    private static final int CASES_PER_HEALTHY_SEGMENT = 6;

    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void shouldDeadLetterEveryMalformedInputWithItsReasonWhileAHealthyNamespaceAdvances() {
        List<CorpusCase> cases = BadInputCorpus.cases(WorkerFixture.PARTITIONS);
        assertTrue(cases.size() >= 50, "the corpus has at least 50 cases, got " + cases.size());
        assertEquals(cases.size(), cases.stream().map(CorpusCase::namespace).distinct().count(),
                "every case has its own namespace");
        Topics topics = WorkerFixture.uniqueTopics("corpus");
        String bucket = S3.newBucket();
        Map<String, Object> props = WorkerFixture.config(KAFKA, S3, topics, "corpus", "w1", bucket, tmp);
        List<SealedSegment> healthy = TestSegments.chain(cases.size() / CASES_PER_HEALTHY_SEGMENT + 1, 1, 5, 512, 6,
                CorpusRecords.T0, new Random(5));
        long healthyEnd = healthy.get(healthy.size() - 1).endFrameNo();
        CorpusRecords records = new CorpusRecords();

        try (Worker worker = Worker.start(new WorkerConfig(props));
             KafkaProducer<String, byte[]> producer = producer()) {
            producer.initTransactions();
            int nextHealthy = 0;
            for (int i = 0; i < cases.size(); i++) {
                if (i % CASES_PER_HEALTHY_SEGMENT == 0) {
                    publish(producer, topics, records.valid(HEALTHY, healthy.get(nextHealthy++), 1));
                }
                cases.get(i).transactions().forEach(tx -> publish(producer, topics, tx));
            }
            while (nextHealthy < healthy.size()) {
                publish(producer, topics, records.valid(HEALTHY, healthy.get(nextHealthy++), 1));
            }
            Await.until(Duration.ofSeconds(60), () -> outcomeMatches(cases, topics, healthyEnd),
                    "every case's dead letters and durable frame, and namespace healthy durable up to "
                            + healthyEnd);
            assertTrue(worker.isRunning(), "malformed input never stops the worker");
        }
        assertEquals("", mismatches(cases, topics, healthyEnd), "per case: expected vs actual");
    }

    private static boolean outcomeMatches(List<CorpusCase> cases, Topics topics, long healthyEnd) {
        return mismatches(cases, topics, healthyEnd).isEmpty();
    }

    /** Returns one line per case whose letters or durable frame differ from the expectation; empty when none. */
    private static String mismatches(List<CorpusCase> cases, Topics topics, long healthyEnd) {
        Map<String, List<DeadLetterReason>> letters = new LinkedHashMap<>();
        for (DeadLetter letter : WorkerFixture.deadLetters(KAFKA, topics)) {
            letters.computeIfAbsent(letter.getNamespace(), k -> new ArrayList<>()).add(letter.getReasonCode());
        }
        Map<String, Long> durable = WorkerFixture.lastDurable(KAFKA, topics);
        StringBuilder out = new StringBuilder();
        Set<String> known = new HashSet<>();
        for (CorpusCase c : cases) {
            known.add(c.namespace());
            List<DeadLetterReason> actual = letters.getOrDefault(c.namespace(), List.of());
            long actualDurable = durable.getOrDefault(c.namespace(), 0L);
            if (!actual.equals(c.reasons()) || actualDurable != c.durable()) {
                out.append(String.format("%s [%s]: letters %s durable %d, expected %s durable %d%n", c.name(),
                        printable(c.namespace()), actual, actualDurable, c.reasons(), c.durable()));
            }
        }
        if (durable.getOrDefault(HEALTHY, 0L) != healthyEnd) {
            out.append("healthy: durable " + durable.get(HEALTHY) + ", expected " + healthyEnd + "\n");
        }
        String strays = letters.keySet().stream().filter(ns -> !known.contains(ns)).map(BadInputCorpusIT::printable)
                .collect(Collectors.joining(", "));
        if (!strays.isEmpty()) {
            out.append("letters for namespaces of no case: " + strays + "\n");
        }
        return out.toString();
    }

    private static String printable(String namespace) {
        String shown = namespace.length() > 40 ? namespace.substring(0, 40) + "...(" + namespace.length() + ")"
                : namespace;
        return shown.replace("\n", "\\n").replace("\u0000", "\\0");
    }

    private static void publish(KafkaProducer<String, byte[]> producer, Topics topics, List<CorpusRecord> tx) {
        producer.beginTransaction();
        for (CorpusRecord record : tx) {
            producer.send(new ProducerRecord<>(topics.segments(), record.partition(), record.key(), record.value()));
        }
        producer.commitTransaction();
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "corpus-" + UUID.randomUUID(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024),
                new StringSerializer(), new ByteArraySerializer());
    }
}
