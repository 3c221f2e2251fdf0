package dev.fathom.producer;

import dev.fathom.schemas.DurableFrame;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the meta topic and feeds each namespace's durable frame number to the {@link DurableFrameTracker}.
 * It uses no consumer group: it assigns every partition, reads from the beginning once (read_committed), then
 * follows the end. The consumer is confined to the watcher's own thread; {@link #close} may be called from any
 * thread and closes the consumer on that thread.
 */
final class DurabilityWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DurabilityWatcher.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(1);

    private final Consumer<String, DurableFrame> consumer;
    private final String topic;
    private final DurableFrameTracker tracker;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private Map<TopicPartition, Long> startEndOffsets; // watcher thread only

    DurabilityWatcher(Consumer<String, DurableFrame> consumer, String topic, DurableFrameTracker tracker) {
        this.consumer = consumer;
        this.topic = topic;
        this.tracker = tracker;
        this.thread = new Thread(this::run, "fathom-durability-watcher-" + topic);
        this.thread.setDaemon(true);
    }

    /** Starts following the meta topic on the watcher's thread. */
    void start() {
        thread.start();
    }

    /** Returns the tracker this watcher advances. */
    DurableFrameTracker tracker() {
        return tracker;
    }

    /**
     * Waits until the watcher has read the meta topic up to the end it found at startup, so durable frame numbers
     * are current; returns whether it did within the timeout.
     */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            while (!isStopping()) {
                try {
                    if (startEndOffsets == null) {
                        assignAll();
                        checkCaughtUp(); // an empty meta topic needs no poll
                    }
                    apply(consumer.poll(POLL_TIMEOUT));
                    checkCaughtUp();
                } catch (RecordDeserializationException e) {
                    skipUndecodable(e);
                } catch (WakeupException e) {
                    // close() woke us up; the loop condition ends it.
                } catch (KafkaException e) {
                    log.warn("Reading durable frames from {} failed; retrying in {} ms", topic,
                            RETRY_DELAY.toMillis(), e);
                    stopSignal.await(RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
    }

    private void assignAll() {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic);
        if (partitions == null || partitions.isEmpty()) {
            throw new KafkaException("Topic " + topic + " has no partitions yet");
        }
        List<TopicPartition> assigned = partitions.stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        startEndOffsets = consumer.endOffsets(assigned);
        log.info("Following durable frames on {} ({} partitions) from the beginning", topic, assigned.size());
    }

    private void apply(ConsumerRecords<String, DurableFrame> records) {
        for (ConsumerRecord<String, DurableFrame> record : records) {
            DurableFrame frame = record.value();
            if (frame == null) {
                continue; // a tombstone deletes nothing we keep: durability never goes back
            }
            String namespace = record.key() != null ? record.key() : frame.getNamespace();
            if (!tracker.advance(namespace, frame.getDurableFrameNo())) {
                log.debug("Ignored durable frame {} of namespace {} at {}-{}@{}: not above {}",
                        frame.getDurableFrameNo(), namespace, record.topic(), record.partition(), record.offset(),
                        tracker.durableFrameNo(namespace));
            }
        }
    }

    private void checkCaughtUp() {
        if (caughtUp.getCount() == 0) {
            return;
        }
        for (Map.Entry<TopicPartition, Long> end : startEndOffsets.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return;
            }
        }
        log.info("Read durable frames on {} up to the end found at startup", topic);
        caughtUp.countDown();
    }

    private void skipUndecodable(RecordDeserializationException e) {
        TopicPartition partition = e.topicPartition();
        log.error("Skipping undecodable durable-frame record at {}-{}@{}; durability of its namespace may be"
                + " reported late. Hint: a producer wrote a foreign format to {}", partition.topic(),
                partition.partition(), e.offset(), topic, e);
        consumer.seek(partition, e.offset() + 1);
    }

    private boolean isStopping() {
        return stopSignal.getCount() == 0;
    }

    /** Stops following and closes the consumer, waiting at most {@code timeout} for the thread. Idempotent. */
    void close(Duration timeout) {
        stopSignal.countDown();
        if (!thread.isAlive() && thread.getState() == Thread.State.NEW) {
            consumer.close(CloseOptions.timeout(Duration.ZERO)); // never started: nobody else will close it
            return;
        }
        consumer.wakeup();
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
