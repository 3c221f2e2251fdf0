package dev.fathom.producer.restore;

import dev.fathom.schemas.format.ObjectKeys;
import dev.fathom.schemas.format.SegmentId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Lists the segments of a namespace stored in a bucket, object storage being the source of truth. A segment counts
 * only when both its {@code .seg} and {@code .idx} objects exist (the index is written last). Stateless apart from
 * the client given; thread-safe when the client is.
 */
public final class BucketSegmentCatalog {

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    /** Creates a catalog over {@code bucket}, keys under {@code prefix} ("" for none). */
    public BucketSegmentCatalog(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    /** Returns the complete segments of {@code namespace} in frame order (by start, then end frame). */
    public List<StoredSegment> segments(String namespace) {
        String listPrefix = ObjectKeys.segmentsPrefix(prefix, namespace);
        ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket).prefix(listPrefix).build();
        Map<SegmentId, Long> dataSizes = new HashMap<>();
        Map<SegmentId, String> indexKeys = new HashMap<>();
        Map<SegmentId, String> dataKeys = new HashMap<>();
        for (S3Object object : s3.listObjectsV2Paginator(request).contents()) {
            String key = object.key();
            ObjectKeys.parseSegmentKey(key).ifPresent(id -> {
                if (key.endsWith(".seg")) {
                    dataKeys.put(id, key);
                    dataSizes.put(id, object.size());
                } else {
                    indexKeys.put(id, key);
                }
            });
        }
        List<StoredSegment> segments = new ArrayList<>();
        dataKeys.forEach((id, dataKey) -> {
            String indexKey = indexKeys.get(id);
            if (indexKey != null) {
                segments.add(new StoredSegment(id, dataKey, indexKey, dataSizes.get(id)));
            }
        });
        segments.sort(Comparator.comparingLong((StoredSegment s) -> s.id().startFrameNo())
                .thenComparingLong(s -> s.id().endFrameNo()));
        return segments;
    }
}
