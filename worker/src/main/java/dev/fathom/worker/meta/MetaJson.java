package dev.fathom.worker.meta;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fathom.schemas.DurableFrame;
import dev.fathom.schemas.SegmentInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The JSON documents of the meta HTTP API, and their conversion from and to the Avro records (forwarded answers are
 * parsed back, so every Avro field is rendered). Times are ISO-8601 UTC strings plus the same instant in
 * {@code *Ms} epoch milliseconds. Thread-safe.
 */
final class MetaJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private MetaJson() {
    }

    /** Body of {@code GET /v1/namespaces/{ns}}. */
    record NamespaceDoc(String namespace, long durableFrameNo, SegmentDoc lastSegment, int sizeAfter, int pageSize,
                        String profile, String updatedAt, long updatedAtMs) {
    }

    /** Body of {@code GET /v1/namespaces/{ns}/segments}. */
    record SegmentsDoc(String namespace, List<SegmentDoc> segments) {
    }

    /**
     * One segment. In {@code lastSegment} only the fields a {@link DurableFrame} carries are certain; the others are
     * present when the catalog entry of that segment is already materialised.
     */
    record SegmentDoc(String segmentId, long startFrameNo, long endFrameNo, String sealedAt, long sealedAtMs,
                      Integer sizeAfter, Integer pageSize, Integer pageCount, String dataKey, String indexKey,
                      Long dataSize, Long indexSize, String profile, Integer dataCrc32c, Integer indexCrc32c,
                      String committedAt, Long committedAtMs) {
    }

    record ErrorDoc(String error) {
    }

    /** Body of {@code GET /health}. */
    record HealthDoc(String status, String streamsState) {
    }

    static NamespaceDoc namespaceDoc(DurableFrame durable, Optional<SegmentInfo> lastSegment) {
        SegmentDoc last = lastSegment.map(MetaJson::segmentDoc).orElseGet(() -> new SegmentDoc(
                durable.getLastSegmentId(), durable.getLastStartFrameNo(), durable.getDurableFrameNo(),
                iso(durable.getLastSealedAtMs()), durable.getLastSealedAtMs(), null, null, null, null, null, null,
                null, null, null, null, null, null));
        return new NamespaceDoc(durable.getNamespace(), durable.getDurableFrameNo(), last, durable.getSizeAfter(),
                durable.getPageSize(), durable.getProfile(), iso(durable.getUpdatedAtMs()),
                durable.getUpdatedAtMs());
    }

    static SegmentDoc segmentDoc(SegmentInfo s) {
        return new SegmentDoc(s.getSegmentId(), s.getStartFrameNo(), s.getEndFrameNo(), iso(s.getSealedAtMs()),
                s.getSealedAtMs(), s.getSizeAfter(), s.getPageSize(), s.getPageCount(), s.getDataKey(),
                s.getIndexKey(), s.getDataSize(), s.getIndexSize(), s.getProfile(), s.getDataCrc32c(),
                s.getIndexCrc32c(), iso(s.getCommittedAtMs()), s.getCommittedAtMs());
    }

    static SegmentsDoc segmentsDoc(String namespace, List<SegmentInfo> segments) {
        return new SegmentsDoc(namespace, segments.stream().map(MetaJson::segmentDoc).toList());
    }

    static DurableFrame durableFrame(NamespaceDoc doc) {
        return DurableFrame.newBuilder()
                .setNamespace(doc.namespace())
                .setDurableFrameNo(doc.durableFrameNo())
                .setLastSegmentId(doc.lastSegment().segmentId())
                .setLastStartFrameNo(doc.lastSegment().startFrameNo())
                .setLastSealedAtMs(doc.lastSegment().sealedAtMs())
                .setSizeAfter(doc.sizeAfter())
                .setPageSize(doc.pageSize())
                .setProfile(doc.profile())
                .setUpdatedAtMs(doc.updatedAtMs())
                .build();
    }

    static SegmentInfo segmentInfo(String namespace, SegmentDoc doc) {
        return SegmentInfo.newBuilder()
                .setNamespace(namespace)
                .setSegmentId(doc.segmentId())
                .setProfile(doc.profile())
                .setDataKey(doc.dataKey())
                .setIndexKey(doc.indexKey())
                .setStartFrameNo(doc.startFrameNo())
                .setEndFrameNo(doc.endFrameNo())
                .setSealedAtMs(doc.sealedAtMs())
                .setSizeAfter(doc.sizeAfter())
                .setPageSize(doc.pageSize())
                .setPageCount(doc.pageCount())
                .setDataSize(doc.dataSize())
                .setIndexSize(doc.indexSize())
                .setDataCrc32c(doc.dataCrc32c())
                .setIndexCrc32c(doc.indexCrc32c())
                .setCommittedAtMs(doc.committedAtMs())
                .build();
    }

    static byte[] write(Object doc) {
        try {
            return MAPPER.writeValueAsBytes(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not render " + doc.getClass().getSimpleName() + " as JSON", e);
        }
    }

    static <T> T read(byte[] json, Class<T> type, String where) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not parse the " + type.getSimpleName() + " answered by " + where, e);
        }
    }

    private static String iso(long epochMs) {
        return Instant.ofEpochMilli(epochMs).toString();
    }
}
