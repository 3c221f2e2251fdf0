package dev.fathom.faults;

import dev.fathom.schemas.DurableFrame;
import dev.fathom.schemas.FathomSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the meta topic (read_committed) from the beginning for the whole run and checks invariant 2 as it happens:
 * per namespace, each committed durable frame is greater than the one before (every record makes a new segment
 * durable, so an equal value would be a duplicate commit and a smaller one a regression). Thread-safe: its own thread
 * polls; the driver reads the results and closes it.
 */
final class DurableFrameWatcher implements AutoCloseable {

    private final KafkaConsumer<String, DurableFrame> consumer;
    private final Map<String, Long> last = new ConcurrentHashMap<>();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger records = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile Throwable failure;

    DurableFrameWatcher(String bootstrapServers, String metaTopic) {
        Deserializer<DurableFrame> values = FathomSerdes.durableFrame().deserializer();
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), values);
        List<TopicPartition> partitions = consumer.partitionsFor(metaTopic).stream()
                .map(p -> new TopicPartition(metaTopic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::run, "faults-meta-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, DurableFrame> record : consumer.poll(Duration.ofMillis(200))) {
                    observe(record.value());
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            if (running.get()) {
                failure = e;
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void observe(DurableFrame frame) {
        records.incrementAndGet();
        long now = frame.getDurableFrameNo();
        Long before = last.put(frame.getNamespace(), now);
        if (before != null && now <= before) {
            violations.add("namespace " + frame.getNamespace() + ": durable frame " + before + " then " + now
                    + " (segment " + frame.getLastSegmentId() + ")");
        }
    }

    /** The newest committed durable frame per namespace seen so far. */
    Map<String, Long> durable() {
        return Map.copyOf(last);
    }

    int records() {
        return records.get();
    }

    /** Regressions and duplicate commits seen, one sentence each. */
    List<String> violations() {
        return List.copyOf(violations);
    }

    /** Why the watcher stopped early, or null. */
    Throwable failure() {
        return failure;
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
