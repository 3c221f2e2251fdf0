package dev.fathom.worker;

import dev.fathom.schemas.CatalogKey;
import dev.fathom.schemas.DurableFrame;
import dev.fathom.schemas.FathomSerdes;
import dev.fathom.schemas.NamespacePartitioner;
import dev.fathom.schemas.SegmentInfo;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.schemas.format.SegmentId;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Builds the records that make an uploaded segment durable: its {@link DurableFrame} on the meta topic (keyed by
 * namespace) and its {@link SegmentInfo} on the catalog topic (keyed by {@link CatalogKey}), both with the explicit
 * partition of the namespace so one worker owns a namespace's segments, meta and catalog. The rebuild from a bucket
 * listing ({@code dev.fathom.worker.rebuild}) builds its records here too, so both write the same records.
 * Thread-safe; used by the poll thread.
 */
public final class DurableRecords {

    private final TopicLayout layout;
    private final Clock clock;
    private final Serializer<DurableFrame> frames = FathomSerdes.durableFrame().serializer();
    private final Serializer<SegmentInfo> infos = FathomSerdes.segmentInfo().serializer();

    public DurableRecords(TopicLayout layout, Clock clock) {
        this.layout = layout;
        this.clock = clock;
    }

    /** Returns the meta record and the catalog record of {@code segment}, uploaded to {@code uploaded}. */
    List<ProducerRecord<String, byte[]>> of(AssembledSegment segment, UploadedSegment uploaded) {
        SealedSegment sealed = segment.segment();
        DurableSegment durable = new DurableSegment(segment.namespace(), sealed.id(), sealed.pageSize(),
                sealed.sizeAfter(), uploaded);
        long now = clock.millis();
        return List.of(metaRecord(durable, now), catalogRecord(durable, now));
    }

    /** Returns the meta record saying that every frame up to {@code segment}'s end frame is durable. */
    public ProducerRecord<String, byte[]> metaRecord(DurableSegment segment) {
        return metaRecord(segment, clock.millis());
    }

    /** Returns the catalog record of {@code segment}. */
    public ProducerRecord<String, byte[]> catalogRecord(DurableSegment segment) {
        return catalogRecord(segment, clock.millis());
    }

    private ProducerRecord<String, byte[]> metaRecord(DurableSegment segment, long now) {
        String meta = layout.topics().meta();
        return new ProducerRecord<>(meta, NamespacePartitioner.partitionFor(segment.namespace(),
                layout.metaPartitions()), segment.namespace(), frames.serialize(meta, durableFrame(segment, now)));
    }

    private ProducerRecord<String, byte[]> catalogRecord(DurableSegment segment, long now) {
        String catalog = layout.topics().catalog();
        return new ProducerRecord<>(catalog, NamespacePartitioner.partitionFor(segment.namespace(),
                layout.catalogPartitions()), CatalogKey.of(segment.namespace(), segment.id().endFrameNo()),
                infos.serialize(catalog, segmentInfo(segment, now)));
    }

    private static DurableFrame durableFrame(DurableSegment segment, long now) {
        SegmentId id = segment.id();
        return DurableFrame.newBuilder()
                .setNamespace(segment.namespace())
                .setDurableFrameNo(id.endFrameNo())
                .setLastSegmentId(id.format())
                .setLastStartFrameNo(id.startFrameNo())
                .setLastSealedAtMs(id.sealedAtMs())
                .setSizeAfter(segment.sizeAfter())
                .setPageSize(segment.pageSize())
                .setProfile(segment.uploaded().profile())
                .setUpdatedAtMs(now)
                .build();
    }

    private static SegmentInfo segmentInfo(DurableSegment segment, long now) {
        SegmentId id = segment.id();
        UploadedSegment uploaded = segment.uploaded();
        return SegmentInfo.newBuilder()
                .setNamespace(segment.namespace())
                .setSegmentId(id.format())
                .setProfile(uploaded.profile())
                .setDataKey(uploaded.dataKey())
                .setIndexKey(uploaded.indexKey())
                .setStartFrameNo(id.startFrameNo())
                .setEndFrameNo(id.endFrameNo())
                .setSealedAtMs(id.sealedAtMs())
                .setSizeAfter(segment.sizeAfter())
                .setPageSize(segment.pageSize())
                .setPageCount(uploaded.pageCount())
                .setDataSize(uploaded.dataSize())
                .setIndexSize(uploaded.indexSize())
                .setDataCrc32c(uploaded.dataCrc32c())
                .setIndexCrc32c(uploaded.indexCrc32c())
                .setCommittedAtMs(now)
                .build();
    }
}
