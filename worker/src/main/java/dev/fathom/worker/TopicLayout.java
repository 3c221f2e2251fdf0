package dev.fathom.worker;

import dev.fathom.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The topic names and the partition counts found at startup. The segments, meta and catalog topics have the same
 * partition count (checked by the topic provisioner), but each is kept so records use the actual count of the topic
 * they go to. Immutable and thread-safe.
 *
 * @param topics topic names
 * @param segmentsPartitions partitions of the segments topic
 * @param metaPartitions partitions of the meta topic
 * @param catalogPartitions partitions of the catalog topic
 */
public record TopicLayout(Topics topics, int segmentsPartitions, int metaPartitions, int catalogPartitions) {

    /** How long newly created topics may take to become visible to every broker's metadata. */
    private static final Duration METADATA_WAIT = Duration.ofSeconds(30);
    private static final Duration METADATA_RETRY = Duration.ofMillis(200);

    /**
     * Describes the segments, meta and catalog topics, which must exist (waiting up to 30 s for topics that were just
     * created to show up in the metadata).
     *
     * @throws KafkaException when they cannot be described
     */
    public static TopicLayout describe(Admin admin, Topics topics) {
        long deadline = System.nanoTime() + METADATA_WAIT.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(
                        List.of(topics.segments(), topics.meta(), topics.catalog())).allTopicNames().get();
                return new TopicLayout(topics, described.get(topics.segments()).partitions().size(),
                        described.get(topics.meta()).partitions().size(),
                        described.get(topics.catalog()).partitions().size());
            } catch (InterruptedException e) {
                throw new InterruptException(e);
            } catch (ExecutionException e) {
                // Topics created a moment ago by the provisioner may not have reached the broker answering yet.
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw new KafkaException("Could not describe topics " + topics.all() + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(METADATA_RETRY.toMillis());
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        }
    }
}
