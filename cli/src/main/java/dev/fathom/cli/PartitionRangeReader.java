package dev.fathom.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads committed records of topic partitions for the {@code fathom dlq} commands, without a consumer group: the
 * partitions of a topic, their first and last stable offsets, and the records of an offset range (read_committed,
 * so aborted records and transaction markers are skipped). Owns one Admin client; not thread-safe; closed by its
 * creator.
 */
final class PartitionRangeReader implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, Object> settings;
    private final Admin admin;

    PartitionRangeReader(Map<String, Object> settings) {
        this.settings = settings;
        this.admin = Admin.create(settings);
    }

    /** Returns the partitions of {@code topic}. */
    List<TopicPartition> partitions(String topic) {
        int count = get(admin.describeTopics(List.of(topic)).allTopicNames(), "describe topic " + topic)
                .get(topic).partitions().size();
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        return partitions;
    }

    /** Returns the first offset still held by {@code tp} (older records were removed by retention). */
    long startOffset(TopicPartition tp) {
        return startOffsets(List.of(tp)).get(tp);
    }

    /** Returns the last stable offset of {@code tp}: the end of what read_committed consumers can see. */
    long endOffset(TopicPartition tp) {
        return endOffsets(List.of(tp)).get(tp);
    }

    /** Returns the first offset still held by each partition, in one request. */
    Map<TopicPartition, Long> startOffsets(Collection<TopicPartition> partitions) {
        return offsets(partitions, OffsetSpec.earliest(), new ListOffsetsOptions(), "read the start offsets of ");
    }

    /** Returns the last stable offset of each partition, in one request. */
    Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        return offsets(partitions, OffsetSpec.latest(), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED),
                "read the end offsets of ");
    }

    /** Returns the committed records of {@code tp} with offsets in {@code [from, to)}, in offset order. */
    List<ConsumerRecord<byte[], byte[]>> read(TopicPartition tp, long from, long to) {
        return read(Map.of(tp, from), Map.of(tp, to));
    }

    /**
     * Returns the committed records with offsets in {@code [from, to)} of every partition in {@code from}, with one
     * consumer; in offset order per partition.
     */
    List<ConsumerRecord<byte[], byte[]>> read(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        List<TopicPartition> wanted = from.keySet().stream().filter(tp -> from.get(tp) < to.get(tp)).toList();
        if (wanted.isEmpty()) {
            return records;
        }
        Map<String, Object> consumerSettings = new HashMap<>(settings);
        consumerSettings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerSettings.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (Consumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerSettings, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(wanted);
            wanted.forEach(tp -> consumer.seek(tp, from.get(tp)));
            while (wanted.stream().anyMatch(tp -> consumer.position(tp) < to.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new KafkaException("Could not read " + describe(wanted, from, to) + " within "
                            + TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < to.get(new TopicPartition(record.topic(), record.partition()))) {
                        records.add(record);
                    }
                }
            }
        }
        return records;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }

    private Map<TopicPartition, Long> offsets(Collection<TopicPartition> partitions, OffsetSpec spec,
                                              ListOffsetsOptions options, String what) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        get(admin.listOffsets(request, options).all(), what + partitions).forEach((tp, info) -> offsets.put(tp,
                info.offset()));
        return offsets;
    }

    private static String describe(List<TopicPartition> partitions, Map<TopicPartition, Long> from,
                                   Map<TopicPartition, Long> to) {
        StringBuilder out = new StringBuilder();
        for (TopicPartition tp : partitions) {
            out.append(out.length() == 0 ? "" : ", ").append(tp).append(" offsets ").append(from.get(tp))
                    .append("..").append(to.get(tp) - 1);
        }
        return out.toString();
    }

    private <T> T get(KafkaFuture<T> future, String what) {
        try {
            return future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while trying to " + what, e);
        } catch (ExecutionException e) {
            throw new KafkaException("Could not " + what + " on Kafka " + settings.get("bootstrap.servers") + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("Could not " + what + " on Kafka " + settings.get("bootstrap.servers")
                    + " within " + TIMEOUT.toSeconds() + " s: is it reachable?", e);
        }
    }
}
