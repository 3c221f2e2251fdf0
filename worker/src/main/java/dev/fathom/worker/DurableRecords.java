package dev.fathom.worker;

import dev.fathom.schemas.CatalogKey;
import dev.fathom.schemas.DurableFrame;
import dev.fathom.schemas.FathomSerdes;
import dev.fathom.schemas.NamespacePartitioner;
import dev.fathom.schemas.SegmentInfo;
import dev.fathom.schemas.format.SealedSegment;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Builds the records that make an uploaded segment durable: its {@link DurableFrame} on the meta topic (keyed by
 * namespace) and its {@link SegmentInfo} on the catalog topic (keyed by {@link CatalogKey}), both with the explicit
 * partition of the namespace so one worker owns a namespace's segments, meta and catalog. Thread-safe; used by the
 * poll thread.
 */
final class DurableRecords {

    private final TopicLayout layout;
    private final Clock clock;
    private final Serializer<DurableFrame> frames = FathomSerdes.durableFrame().serializer();
    private final Serializer<SegmentInfo> infos = FathomSerdes.segmentInfo().serializer();

    DurableRecords(TopicLayout layout, Clock clock) {
        this.layout = layout;
        this.clock = clock;
    }

    /** Returns the meta record and the catalog record of {@code segment}, uploaded to {@code uploaded}. */
    List<ProducerRecord<String, byte[]>> of(AssembledSegment segment, UploadedSegment uploaded) {
        long now = clock.millis();
        String namespace = segment.namespace();
        String meta = layout.topics().meta();
        String catalog = layout.topics().catalog();
        return List.of(
                new ProducerRecord<>(meta, NamespacePartitioner.partitionFor(namespace, layout.metaPartitions()),
                        namespace, frames.serialize(meta, durableFrame(segment, uploaded, now))),
                new ProducerRecord<>(catalog, NamespacePartitioner.partitionFor(namespace,
                        layout.catalogPartitions()), CatalogKey.of(namespace, segment.segment().endFrameNo()),
                        infos.serialize(catalog, segmentInfo(segment, uploaded, now))));
    }

    private static DurableFrame durableFrame(AssembledSegment segment, UploadedSegment uploaded, long now) {
        SealedSegment sealed = segment.segment();
        return DurableFrame.newBuilder()
                .setNamespace(segment.namespace())
                .setDurableFrameNo(sealed.endFrameNo())
                .setLastSegmentId(sealed.id().format())
                .setLastStartFrameNo(sealed.startFrameNo())
                .setLastSealedAtMs(sealed.sealedAtMs())
                .setSizeAfter(sealed.sizeAfter())
                .setPageSize(sealed.pageSize())
                .setProfile(uploaded.profile())
                .setUpdatedAtMs(now)
                .build();
    }

    private static SegmentInfo segmentInfo(AssembledSegment segment, UploadedSegment uploaded, long now) {
        SealedSegment sealed = segment.segment();
        return SegmentInfo.newBuilder()
                .setNamespace(segment.namespace())
                .setSegmentId(sealed.id().format())
                .setProfile(uploaded.profile())
                .setDataKey(uploaded.dataKey())
                .setIndexKey(uploaded.indexKey())
                .setStartFrameNo(sealed.startFrameNo())
                .setEndFrameNo(sealed.endFrameNo())
                .setSealedAtMs(sealed.sealedAtMs())
                .setSizeAfter(sealed.sizeAfter())
                .setPageSize(sealed.pageSize())
                .setPageCount(uploaded.pageCount())
                .setDataSize(uploaded.dataSize())
                .setIndexSize(uploaded.indexSize())
                .setDataCrc32c(uploaded.dataCrc32c())
                .setIndexCrc32c(uploaded.indexCrc32c())
                .setCommittedAtMs(now)
                .build();
    }
}
