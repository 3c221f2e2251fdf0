package dev.fathom.worker;

import dev.fathom.schemas.DeadLetterReason;
import java.util.List;

/**
 * One malformed input of {@link BadInputCorpus}: what is published (each inner list is one Kafka transaction on the
 * segments topic) and what the worker must do with it. Every case uses its own namespace (the records' key), so its
 * dead letters and durable frame are told apart from the other cases'. Immutable.
 *
 * @param name what the case is, for failure messages
 * @param namespace the namespace (and record key) the case uses, however hostile
 * @param transactions records to publish, one transaction per inner list
 * @param reasons the dead letters expected for the namespace, in order; empty = acknowledged or accepted
 * @param durable the namespace's expected durable frame no afterwards (0 = none recorded)
 */
record CorpusCase(String name, String namespace, List<List<CorpusRecord>> transactions, List<DeadLetterReason> reasons,
                  long durable) {

    CorpusCase {
        transactions = List.copyOf(transactions);
        reasons = List.copyOf(reasons);
    }

    /**
     * One record to publish.
     *
     * @param key the record key (the namespace as the producer library would key it)
     * @param partition an explicit partition, or null for the default partitioner
     * @param value the record value, possibly null or garbage
     */
    record CorpusRecord(String key, Integer partition, byte[] value) {
    }
}
