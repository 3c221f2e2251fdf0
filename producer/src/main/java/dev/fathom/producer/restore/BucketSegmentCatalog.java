package dev.fathom.producer.restore;

import dev.fathom.schemas.format.ObjectKeys;
import dev.fathom.schemas.format.SegmentId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Lists the segments of a namespace stored in a bucket, object storage being the source of truth. A segment counts
 * only when both its {@code .seg} and {@code .idx} objects exist (the index is written last). Stateless apart from
 * the client given; thread-safe when the client is.
 */
public final class BucketSegmentCatalog implements SegmentCatalog {

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
    @Override
    public List<StoredSegment> segments(String namespace) {
        return list(namespace, null);
    }

    /** Lists only keys after the given start frame: keys sort by their zero-padded start frame. */
    @Override
    public List<StoredSegment> segmentsStartingAfter(String namespace, long frameNo) {
        return list(namespace, String.format("%020d", frameNo + 1));
    }

    private List<StoredSegment> list(String namespace, String startAfterName) {
        String listPrefix = ObjectKeys.segmentsPrefix(prefix, namespace);
        // A key's name starts with its start frame, so the bare number sorts just before every key starting there.
        ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket).prefix(listPrefix)
                .startAfter(startAfterName == null ? null : listPrefix + startAfterName).build();
        Map<SegmentId, Long> dataSizes = new HashMap<>();
        Map<SegmentId, String> indexKeys = new HashMap<>();
        Map<SegmentId, String> dataKeys = new HashMap<>();
        try {
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
        } catch (SdkException e) {
            throw new RestoreException("Could not list the segments of namespace '" + namespace + "' under s3://"
                    + bucket + "/" + listPrefix + ": " + e.getMessage(), e);
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

    @Override
    public String toString() {
        return "the bucket listing of s3://" + bucket + "/" + prefix;
    }
}
