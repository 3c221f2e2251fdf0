package dev.fathom.worker.meta;

import dev.fathom.schemas.DurableFrame;
import dev.fathom.schemas.Namespace;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code fathom.meta} records into the durable-frames store, keeping per namespace the record with the highest
 * durable frame number. Not thread-safe; one instance per Streams task, owned by its stream thread.
 *
 * <p>The durable frame of a namespace never goes backwards: a record with a lower durable frame number than the
 * stored one (a zombie worker's late commit, or a replay) is ignored; an equal one replaces the stored one. Tombstones
 * are ignored too, for the same reason.
 */
final class DurableFrameWriter implements Processor<String, DurableFrame, Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(DurableFrameWriter.class);

    private KeyValueStore<String, DurableFrame> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(MetaTopology.DURABLE_FRAMES_STORE);
    }

    @Override
    public void process(Record<String, DurableFrame> record) {
        String namespace = record.key();
        DurableFrame incoming = record.value();
        if (namespace == null || incoming == null) {
            log.warn("Ignored a meta record for namespace {} without {}: durable frames never move backwards",
                    shown(namespace), namespace == null ? "a key" : "a value");
            return;
        }
        DurableFrame stored = store.get(namespace);
        if (stored == null || incoming.getDurableFrameNo() >= stored.getDurableFrameNo()) {
            store.put(namespace, incoming);
        } else {
            log.info("Ignored durable frame {} for namespace {}: frame {} is already durable",
                    incoming.getDurableFrameNo(), shown(namespace), stored.getDurableFrameNo());
        }
    }

    /** A key of the meta topic as it may be logged: quoted and escaped unless it is a valid namespace. */
    private static String shown(String namespace) {
        return Namespace.isValid(namespace) ? namespace : Namespace.quote(namespace);
    }
}
