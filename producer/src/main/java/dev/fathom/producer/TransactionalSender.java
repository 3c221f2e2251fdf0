package dev.fathom.producer;

import dev.fathom.schemas.SegmentChunk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the node's transactional Kafka producer and writes a list of records in one transaction. When an abort
 * itself fails, it discards the producer and creates a new one on the next attempt: the new producer's
 * initTransactions fences the old epoch and resolves its open transaction, so a retry never mixes with it.
 * Used only by the publishing thread, except {@link #close}, which any thread may call.
 */
final class TransactionalSender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TransactionalSender.class);

    private final Supplier<Producer<String, SegmentChunk>> factory;
    private volatile Producer<String, SegmentChunk> producer;

    TransactionalSender(Supplier<Producer<String, SegmentChunk>> factory) {
        this.factory = factory;
    }

    /** Creates the producer and registers its transactional.id, unless that is already done. */
    void init() {
        if (producer != null) {
            return;
        }
        Producer<String, SegmentChunk> created = factory.get();
        try {
            created.initTransactions();
        } catch (RuntimeException e) {
            created.close(Duration.ZERO);
            throw e;
        }
        producer = created;
    }

    /**
     * Sends the records in one transaction and commits it: all become visible to read_committed consumers
     * together, or none does. The records are taken from {@code records} one at a time, so they may be built lazily.
     *
     * @throws KafkaException (or another RuntimeException) when the transaction failed; call {@link #abort} next
     */
    void sendInTransaction(Iterable<ProducerRecord<String, SegmentChunk>> records) {
        init();
        Producer<String, SegmentChunk> current = producer;
        current.beginTransaction();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (ProducerRecord<String, SegmentChunk> record : records) {
            acks.add(current.send(record));
        }
        current.flush();
        throwFirstSendFailure(acks);
        current.commitTransaction();
    }

    private static void throwFirstSendFailure(List<Future<RecordMetadata>> acks) {
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get();
            } catch (ExecutionException e) {
                // The send's own error classifies the failure better than commitTransaction's generic one.
                Throwable cause = e.getCause();
                throw cause instanceof KafkaException kafka ? kafka : new KafkaException("Send failed", cause);
            } catch (InterruptedException e) {
                throw new InterruptException(e);
            }
        }
    }

    /**
     * Aborts the open transaction; when that fails too, discards the producer so the next attempt starts afresh.
     *
     * @throws RuntimeException when the abort failed fatally (e.g. fenced): a new producer would fence the instance
     *     that fenced this one, so the caller must stop instead
     */
    void abort() {
        Producer<String, SegmentChunk> current = producer;
        if (current == null) {
            return;
        }
        try {
            current.abortTransaction();
        } catch (RuntimeException e) {
            if (PublishFailures.isFatal(e)) {
                throw e;
            }
            log.warn("Aborting the publishing transaction failed ({}); recreating the Kafka producer", e.toString());
            producer = null;
            current.close(Duration.ZERO);
        }
    }

    /** Closes the producer, waiting at most {@code timeout} for in-flight requests. Any thread; idempotent. */
    void close(Duration timeout) {
        Producer<String, SegmentChunk> current = producer;
        producer = null;
        if (current != null) {
            current.close(timeout);
        }
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
