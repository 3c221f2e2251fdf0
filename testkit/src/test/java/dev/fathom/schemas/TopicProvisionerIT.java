package dev.fathom.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fathom.testkit.Await;
import dev.fathom.testkit.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link TopicProvisioner} against a real broker: creation, idempotency and refusal of misconfigured topics. */
class TopicProvisionerIT {
    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.singleNode();

    private static final TopicSettings SETTINGS = new TopicSettings(3, TopicSettings.REPLICATION_FACTOR_AUTO,
            Duration.ofDays(1).toMillis(), 4 * 1024 * 1024);

    @Test
    void shouldCreateAllFourTopicsWithTheRequiredConfigs() throws Exception {
        Topics topics = uniqueTopics();
        new TopicProvisioner(KAFKA.admin(), topics, SETTINGS).ensureTopics();

        Map<String, TopicDescription> described = describeAll(topics);
        for (String name : topics.all()) {
            assertEquals(3, described.get(name).partitions().size(), name + " partitions");
            assertEquals(1, described.get(name).partitions().get(0).replicas().size(),
                    name + " replication factor = min(3, 1 broker)");
        }
        assertConfigs(topics.segments(), Map.of("cleanup.policy", "delete", "retention.ms", "86400000",
                "max.message.bytes", "4194304", "min.insync.replicas", "1"));
        assertConfigs(topics.meta(), Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0",
                "min.insync.replicas", "1"));
        assertConfigs(topics.catalog(), Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0",
                "min.insync.replicas", "1"));
        assertConfigs(topics.deadLetters(), Map.of("cleanup.policy", "delete",
                "retention.ms", Long.toString(Duration.ofDays(30).toMillis()), "min.insync.replicas", "1"));
    }

    @Test
    void shouldLeaveCorrectTopicsAloneOnASecondCall() throws Exception {
        Topics topics = uniqueTopics();
        TopicProvisioner provisioner = new TopicProvisioner(KAFKA.admin(), topics, SETTINGS);
        provisioner.ensureTopics();
        Map<String, Uuid> idsBefore = topicIds(topics);

        provisioner.ensureTopics();
        new TopicProvisioner(KAFKA.admin(), topics, new TopicSettings(7, (short) 1, 5, 5)).ensureTopics();

        assertEquals(idsBefore, topicIds(topics), "no topic was recreated");
        describeAll(topics).values().forEach(d -> assertEquals(3, d.partitions().size(), d.name()));
        assertConfigs(topics.segments(), Map.of("retention.ms", "86400000", "max.message.bytes", "4194304"));
    }

    @Test
    void shouldGiveMetaAndCatalogThePartitionCountOfAnExistingSegmentsTopic() throws Exception {
        Topics topics = uniqueTopics();
        KAFKA.createTopic(topics.segments(), 5, false);
        new TopicProvisioner(KAFKA.admin(), topics, SETTINGS).ensureTopics();

        Map<String, TopicDescription> described = describeAll(topics);
        assertEquals(5, described.get(topics.meta()).partitions().size());
        assertEquals(5, described.get(topics.catalog()).partitions().size());
    }

    @Test
    void shouldRefuseAMetaTopicWithDeletePolicyBeforeCreatingAnything() throws Exception {
        Topics topics = uniqueTopics();
        KAFKA.createTopic(topics.meta(), 3, false);
        TopicProvisioner provisioner = new TopicProvisioner(KAFKA.admin(), topics, SETTINGS);

        TopicMisconfiguredException e = assertThrows(TopicMisconfiguredException.class, provisioner::ensureTopics);
        assertEquals("Topic " + topics.meta() + " has cleanup.policy=delete but Fathom requires compact: it must"
                + " keep the latest durable frame of every namespace for as long as the namespace exists. Fix it"
                + " with: kafka-configs.sh --alter --entity-type topics --entity-name " + topics.meta()
                + " --add-config cleanup.policy=compact", e.getMessage());
        assertEquals(Set.of(topics.meta()), describe(topics).keySet(), "nothing else was created");
    }

    @Test
    void shouldRefuseAMetaTopicWhosePartitionCountDiffersFromSegments() {
        Topics topics = uniqueTopics();
        KAFKA.createTopic(topics.meta(), 2, true);
        TopicProvisioner provisioner = new TopicProvisioner(KAFKA.admin(), topics, SETTINGS);

        TopicMisconfiguredException e = assertThrows(TopicMisconfiguredException.class, provisioner::ensureTopics);
        assertEquals("Topic " + topics.meta() + " has 2 partitions but Fathom requires 3, the partition count of "
                + topics.segments() + ": a namespace's records must have the same partition number in both topics."
                + " Recreate " + topics.meta() + " with 3 partitions", e.getMessage());
    }

    @Test
    void shouldTolerateConcurrentProvisioning() throws Exception {
        Topics topics = uniqueTopics();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(pool.submit(() -> new TopicProvisioner(KAFKA.admin(), topics, SETTINGS).ensureTopics()));
            }
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(Set.copyOf(topics.all()), describeAll(topics).keySet());
    }

    private static Topics uniqueTopics() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        return new Topics("it-" + run + ".segments", "it-" + run + ".meta", "it-" + run + ".catalog",
                "it-" + run + ".dlq");
    }

    /** Describes the topics of {@code topics} that the broker already shows (metadata propagates asynchronously). */
    private static Map<String, TopicDescription> describe(Topics topics) throws Exception {
        Map<String, TopicDescription> found = new HashMap<>();
        Map<String, KafkaFuture<TopicDescription>> futures =
                KAFKA.admin().describeTopics(topics.all()).topicNameValues();
        for (Map.Entry<String, KafkaFuture<TopicDescription>> entry : futures.entrySet()) {
            try {
                found.put(entry.getKey(), entry.getValue().get(30, TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
        }
        return found;
    }

    /** Waits until all four topics are visible and describes them. */
    private static Map<String, TopicDescription> describeAll(Topics topics) {
        return Await.value(Duration.ofSeconds(30), () -> {
            try {
                return describe(topics);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, found -> found.keySet().containsAll(topics.all()), "all topics of " + topics + " to be visible");
    }

    private static Map<String, Uuid> topicIds(Topics topics) {
        Map<String, Uuid> ids = new HashMap<>();
        describeAll(topics).forEach((name, description) -> ids.put(name, description.topicId()));
        return ids;
    }

    private static void assertConfigs(String topic, Map<String, String> expected) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = KAFKA.admin().describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS)
                .get(resource);
        expected.forEach((key, value) -> assertEquals(value, config.get(key).value(), topic + " " + key));
    }
}
