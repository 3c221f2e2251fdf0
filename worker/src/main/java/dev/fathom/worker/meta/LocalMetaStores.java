package dev.fathom.worker.meta;

import dev.fathom.schemas.CatalogKey;
import dev.fathom.schemas.DurableFrame;
import dev.fathom.schemas.SegmentInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads this instance's copy of the meta stores for one partition. Thread-safe (Streams stores allow concurrent
 * reads); throws {@link InvalidStateStoreException} while this instance does not actively own the partition
 * (rebalance, restoration), which callers treat as "ask again".
 */
final class LocalMetaStores {

    private final KafkaStreams streams;

    LocalMetaStores(KafkaStreams streams) {
        this.streams = streams;
    }

    Optional<DurableFrame> durableFrame(String namespace, int partition) {
        return Optional.ofNullable(durableFrames(partition).get(namespace));
    }

    /** The catalog entry of the segment of {@code namespace} that ends at {@code endFrameNo}, if recorded. */
    Optional<SegmentInfo> segment(String namespace, long endFrameNo, int partition) {
        return Optional.ofNullable(catalog(partition).get(CatalogKey.of(namespace, endFrameNo)));
    }

    List<SegmentInfo> segments(String namespace, long fromFrameNo, long toFrameNo, int partition) {
        return scan(catalog(partition), namespace, fromFrameNo, toFrameNo);
    }

    /**
     * Returns the segments of {@code namespace} whose frame range overlaps {@code [fromFrameNo, toFrameNo]}, in frame
     * order. Keys are {@code <ns>/<end:020>}: the scan starts at the first segment ending at or after
     * {@code fromFrameNo}, and {@code CatalogKey.upperBound} ({@code <ns>/~}) keeps other namespaces out because
     * {@code '/'} sorts below every character a namespace may contain after the shared prefix.
     */
    static List<SegmentInfo> scan(ReadOnlyKeyValueStore<String, SegmentInfo> catalog, String namespace,
                                  long fromFrameNo, long toFrameNo) {
        String lower = fromFrameNo <= 0 ? CatalogKey.lowerBound(namespace) : CatalogKey.of(namespace, fromFrameNo);
        List<SegmentInfo> found = new ArrayList<>();
        try (KeyValueIterator<String, SegmentInfo> it = catalog.range(lower, CatalogKey.upperBound(namespace))) {
            while (it.hasNext()) {
                SegmentInfo segment = it.next().value;
                // Segments of a namespace are contiguous, so ordering by end frame also orders by start frame.
                if (segment.getStartFrameNo() > toFrameNo) {
                    break;
                }
                if (segment.getEndFrameNo() >= fromFrameNo) {
                    found.add(segment);
                }
            }
        }
        return found;
    }

    private ReadOnlyKeyValueStore<String, DurableFrame> durableFrames(int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(MetaTopology.DURABLE_FRAMES_STORE,
                QueryableStoreTypes.<String, DurableFrame>keyValueStore()).withPartition(partition));
    }

    private ReadOnlyKeyValueStore<String, SegmentInfo> catalog(int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(MetaTopology.SEGMENT_CATALOG_STORE,
                QueryableStoreTypes.<String, SegmentInfo>keyValueStore()).withPartition(partition));
    }
}
