package dev.fathom.worker;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits, in one Kafka transaction, the durable frames (meta), the catalog records and dead letters of finished
 * segments together with the consumer offsets that pass them ({@code sendOffsetsToTransaction} with the consumer's
 * group metadata, so a worker that lost its partitions is fenced by the group coordinator). Either all of them become
 * visible or none. Owns the transactional producer ({@code transactional.id = fathom-worker-<worker.id>}) and replaces
 * it when it is fenced or broken. Not thread-safe; owned by the poll thread, which closes it.
 */
final class DurableFrameCommitter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DurableFrameCommitter.class);

    private final Supplier<Producer<String, byte[]>> factory;
    private final WorkerMetrics metrics;
    private Producer<String, byte[]> producer;

    /** Creates the producer and initialises transactions, which aborts whatever our previous incarnation left open. */
    DurableFrameCommitter(Supplier<Producer<String, byte[]>> factory, WorkerMetrics metrics) {
        this.factory = factory;
        this.metrics = metrics;
        this.producer = start();
    }

    /**
     * Sends {@code records} and commits them with {@code offsets} atomically.
     *
     * @throws KafkaException when the transaction could not be committed; then call {@link #recover}
     */
    void commit(List<ProducerRecord<String, byte[]>> records, Map<TopicPartition, OffsetAndMetadata> offsets,
                ConsumerGroupMetadata group) {
        Timer.Sample started = metrics.startTimer();
        boolean committed = false;
        try {
            producer.beginTransaction();
            for (ProducerRecord<String, byte[]> record : records) {
                producer.send(record); // a failed send fails commitTransaction, which is where we handle it
            }
            if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, group);
            }
            producer.commitTransaction();
            committed = true;
        } finally {
            metrics.committed(started, committed);
        }
    }

    /**
     * Leaves the producer ready for a new transaction after {@code failure}: aborts the open transaction, or replaces
     * the producer when it was fenced or cannot abort.
     */
    void recover(KafkaException failure) {
        if (isFenced(failure)) {
            log.warn("The worker's producer was fenced ({}); starting a new one", failure.toString());
            replace();
            return;
        }
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            log.warn("Could not abort the failed transaction ({}); starting a new producer", e.toString());
            replace();
        }
    }

    /** Returns whether {@code failure} means this producer can no longer commit (a newer epoch exists). */
    static boolean isFenced(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    private void replace() {
        producer.close(Duration.ZERO);
        producer = start();
    }

    private Producer<String, byte[]> start() {
        Producer<String, byte[]> created = factory.get();
        try {
            created.initTransactions();
        } catch (RuntimeException e) {
            created.close(Duration.ZERO);
            throw e;
        }
        return created;
    }
}
