package dev.fathom.cli;

import dev.fathom.schemas.NamespacePartitioner;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How far the worker group is behind on the segments-topic partition of one namespace: the records between the
 * group's committed offset and the partition's last stable offset (read_committed end). Offsets also count transaction
 * markers (after a transaction the committed offset stops on its commit marker), so when at most
 * {@value #MAX_COUNTED} offsets lie in between the records are counted by reading them; beyond that the offset
 * difference is reported as the (upper-bound) record count. The partition is shared by every namespace hashing to it,
 * so the count covers their chunks too; 0 means the workers processed everything published there. Immutable;
 * thread-safe.
 *
 * @param topic           the segments topic
 * @param partition       the namespace's partition ({@link NamespacePartitioner})
 * @param group           the workers' consumer group
 * @param committedOffset the group's committed offset, or -1 when it has none yet (then counted from the start)
 * @param endOffset       the partition's last stable offset
 * @param offsets         endOffset minus the committed (or start) offset, never negative
 * @param records         segment chunks among those offsets (exact when {@code counted}, else = offsets)
 * @param counted         whether {@code records} was counted by reading, not estimated from offsets
 */
record PartitionLag(String topic, int partition, String group, long committedOffset, long endOffset, long offsets,
                    long records, boolean counted) {

    /** Beyond this many offsets the records are not read (each may be a MiB-sized chunk). */
    static final int MAX_COUNTED = 1000;

    private static final int TIMEOUT_SECONDS = 15;

    /**
     * Measures the lag of {@code group} on {@code namespace}'s partition of {@code topic}, with clients built from
     * {@code clientSettings} (bootstrap servers and security settings; {@link KafkaCommandOptions}).
     *
     * @throws KafkaException when the cluster cannot be reached or the topic does not exist
     */
    static PartitionLag measure(Map<String, Object> clientSettings, String group, String topic, String namespace) {
        String bootstrapServers = String.valueOf(clientSettings.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        Map<String, Object> settings = new HashMap<>(clientSettings);
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_SECONDS * 1000);
        try (Admin admin = Admin.create(settings)) {
            int partitions = get(admin.describeTopics(List.of(topic)).allTopicNames(), "describe topic "
                    + topic, bootstrapServers).get(topic).partitions().size();
            TopicPartition tp = new TopicPartition(topic, NamespacePartitioner.partitionFor(namespace, partitions));
            OffsetAndMetadata committed = get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(),
                    "read the offsets of group " + group, bootstrapServers).get(tp);
            long end = get(admin.listOffsets(Map.of(tp, OffsetSpec.latest()),
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all(), "read the end offset of " + tp,
                    bootstrapServers).get(tp).offset();
            long from = committed != null ? committed.offset()
                    : get(admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).all(), "read the start offset of "
                    + tp, bootstrapServers).get(tp).offset();
            long offsets = Math.max(0, end - from);
            boolean counted = offsets <= MAX_COUNTED;
            long records = counted ? count(clientSettings, tp, from, end) : offsets;
            return new PartitionLag(topic, tp.partition(), group, committed == null ? -1 : committed.offset(), end,
                    offsets, records, counted);
        }
    }

    /** Counts the committed records in [from, end) of {@code tp}; markers and aborted records are skipped. */
    private static long count(Map<String, Object> clientSettings, TopicPartition tp, long from, long end) {
        if (from >= end) {
            return 0;
        }
        Map<String, Object> settings = new HashMap<>(clientSettings);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        long records = 0;
        try (Consumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, from);
            while (consumer.position(tp) < end) {
                if (System.nanoTime() > deadline) {
                    throw new KafkaException("Could not read " + tp + " from offset " + from + " to " + end
                            + " within " + TIMEOUT_SECONDS + " s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < end) {
                        records++;
                    }
                }
            }
        }
        return records;
    }

    /** One line for people, saying what the number means. */
    String describe() {
        return (counted ? "" : "up to ") + records + " records (segment chunks) of " + topic + " partition " + partition
                + " not yet processed by group " + group
                + (committedOffset < 0 ? ", which has committed nothing on that partition yet" : "")
                + "; the partition is shared with other namespaces, whose chunks count too; 0 = caught up";
    }

    private static <T> T get(KafkaFuture<T> future, String what, String servers) {
        try {
            return future.get(TIMEOUT_SECONDS + 1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while trying to " + what, e);
        } catch (ExecutionException e) {
            throw new KafkaException("Could not " + what + " on Kafka " + servers + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("Could not " + what + " on Kafka " + servers + " within " + TIMEOUT_SECONDS
                    + " s: is it reachable?", e);
        }
    }
}
