package dev.fathom.worker.meta;

import dev.fathom.schemas.DurableFrame;
import dev.fathom.schemas.FathomSerdes;
import dev.fathom.schemas.SegmentInfo;
import dev.fathom.schemas.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Defines the meta service's Streams topology: {@code fathom.meta} into the {@value #DURABLE_FRAMES_STORE} store
 * (never goes backwards) and {@code fathom.catalog} into the {@value #SEGMENT_CATALOG_STORE} store (tombstones delete).
 * Stateless and thread-safe.
 *
 * <p>Both writers are connected to the catalog store, which makes Streams put both source topics into ONE
 * sub-topology: task {@code 0_p} then reads partition {@code p} of both topics, so the instance that owns a
 * namespace's durable frame also owns all of its segments (the worker writes both with the namespace's partition
 * number). Two independent DSL tables would form two sub-topologies whose tasks the assignor places independently.
 */
public final class MetaTopology {

    /** Namespace → newest {@link DurableFrame}. */
    public static final String DURABLE_FRAMES_STORE = "durable-frames";
    /** {@code CatalogKey.of(namespace, endFrameNo)} → {@link SegmentInfo}. */
    public static final String SEGMENT_CATALOG_STORE = "segment-catalog";

    private MetaTopology() {
    }

    /** Adds the meta service's stores and processors to {@code builder}. */
    public static void build(StreamsBuilder builder, Topics topics) {
        builder.addStateStore(store(DURABLE_FRAMES_STORE, FathomSerdes.durableFrame()));
        builder.addStateStore(store(SEGMENT_CATALOG_STORE, FathomSerdes.segmentInfo()));
        builder.stream(topics.meta(), Consumed.with(Serdes.String(), FathomSerdes.durableFrame())
                        .withName("meta-source"))
                .process(DurableFrameWriter::new, Named.as("durable-frame-writer"),
                        DURABLE_FRAMES_STORE, SEGMENT_CATALOG_STORE);
        builder.stream(topics.catalog(), Consumed.with(Serdes.String(), FathomSerdes.segmentInfo())
                        .withName("catalog-source"))
                .process(SegmentCatalogWriter::new, Named.as("segment-catalog-writer"), SEGMENT_CATALOG_STORE);
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> store(
            String name, org.apache.kafka.common.serialization.Serde<V> valueSerde) {
        // Logged (changelog) so a worker that takes over a partition restores the store quickly; no cache (see
        // MetaStreamsProperties) so reads see every write.
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), valueSerde)
                .withCachingDisabled();
    }
}
