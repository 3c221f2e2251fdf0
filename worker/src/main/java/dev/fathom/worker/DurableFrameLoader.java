package dev.fathom.worker;

import dev.fathom.schemas.DurableFrame;
import dev.fathom.schemas.FathomSerdes;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads meta partitions from the beginning to their end (read_committed) to learn the committed durable frame number
 * of each namespace, before the worker processes the segments partition with the same number. "The end" is the high
 * watermark taken first: the read waits until transactions open at that moment are decided, so a durable frame the
 * previous owner committed just before the rebalance is never missed. Not thread-safe; owned by the poll thread,
 * which closes it (it owns its consumer, not the admin client). The rebuild from a bucket listing uses it to skip
 * namespaces whose published durable frame is already as far.
 */
public final class DurableFrameLoader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DurableFrameLoader.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Consumer<String, byte[]> consumer;
    private final Admin admin;
    private final String metaTopic;
    private final Duration timeout;
    private final Deserializer<DurableFrame> deserializer = FathomSerdes.durableFrame().deserializer();

    /** @param consumer a read_committed consumer without a group, used only by this loader */
    public DurableFrameLoader(Consumer<String, byte[]> consumer, Admin admin, String metaTopic, Duration timeout) {
        this.consumer = consumer;
        this.admin = admin;
        this.metaTopic = metaTopic;
        this.timeout = timeout;
    }

    /**
     * Returns, per partition number, the highest durable frame number per namespace found in the meta topic.
     *
     * @throws KafkaException when the partitions cannot be read to their end within the timeout
     */
    public Map<Integer, Map<String, Long>> load(Collection<Integer> partitions) {
        Map<Integer, Map<String, Long>> durable = new HashMap<>();
        partitions.forEach(p -> durable.put(p, new HashMap<>()));
        if (partitions.isEmpty()) {
            return durable;
        }
        List<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition(metaTopic, p)).toList();
        Map<TopicPartition, Long> ends = highWatermarks(tps);
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        long deadline = System.nanoTime() + timeout.toNanos();
        int records = 0;
        while (!reachedEnd(ends)) {
            if (System.nanoTime() > deadline) {
                throw new KafkaException("Could not read meta topic " + metaTopic + " partitions " + partitions
                        + " up to offsets " + ends + " within " + timeout.toMillis() + " ms: a transaction of"
                        + " another worker stays open (it is aborted after its transaction.timeout.ms)");
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                records++;
                read(record, durable.get(record.partition()));
            }
        }
        consumer.assign(List.of());
        log.info("Loaded the durable frames of {} namespaces from {} records of meta topic {} partitions {}",
                durable.values().stream().mapToInt(Map::size).sum(), records, metaTopic, partitions);
        return durable;
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }

    private void read(ConsumerRecord<String, byte[]> record, Map<String, Long> durable) {
        if (record.value() == null || record.key() == null) {
            return; // a tombstone never moves a durable frame back
        }
        try {
            DurableFrame frame = deserializer.deserialize(record.topic(), record.value());
            durable.merge(frame.getNamespace(), frame.getDurableFrameNo(), Math::max);
        } catch (KafkaException e) {
            log.warn("Skipped an undecodable record for namespace {} in meta topic {} partition {} offset {}: {}",
                    SegmentSource.printable(record.key()), record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        }
    }

    private boolean reachedEnd(Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private Map<TopicPartition, Long> highWatermarks(List<TopicPartition> tps) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        tps.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        try {
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all().get()
                    .forEach((tp, info) -> ends.put(tp, info.offset()));
            return ends;
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        } catch (ExecutionException e) {
            throw new KafkaException("Could not find the end offsets of meta topic " + metaTopic + " partitions "
                    + tps + ": " + e.getCause().getMessage(), e.getCause());
        }
    }
}
