package dev.fathom.worker.meta;

import dev.fathom.schemas.SegmentInfo;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors {@code fathom.catalog} into the segment-catalog store, like a table: a value replaces, a tombstone deletes.
 * Not thread-safe; one instance per Streams task, owned by its stream thread.
 */
final class SegmentCatalogWriter implements Processor<String, SegmentInfo, Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(SegmentCatalogWriter.class);

    private KeyValueStore<String, SegmentInfo> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(MetaTopology.SEGMENT_CATALOG_STORE);
    }

    @Override
    public void process(Record<String, SegmentInfo> record) {
        if (record.key() == null) {
            log.warn("Ignored a catalog record without a key (segment {})",
                    record.value() == null ? "unknown" : record.value().getSegmentId());
        } else if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
    }
}
