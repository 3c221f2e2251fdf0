package dev.fathom.worker.rebuild;

import dev.fathom.producer.restore.StoredSegment;
import dev.fathom.schemas.format.CorruptSegmentException;
import dev.fathom.schemas.format.PageIndex;
import dev.fathom.worker.DurableSegment;
import dev.fathom.worker.UploadedSegment;
import java.nio.ByteBuffer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * Learns from a stored segment's objects what a worker knew when it committed the segment: the whole {@code .idx}
 * (verified, it carries the frame range, page size, size_after and page count) and the two ends of the {@code .seg}
 * (ranged GETs: header and trailer, checked against the index, from which the object's CRC32C follows). Never reads
 * the pages. Thread-safe when the client is; the caller owns the client.
 */
final class StoredSegmentReader {

    private final S3Client s3;
    private final String bucket;
    private final String profile;

    /** @param profile storage profile name recorded in the records (the bucket's profile in the workers' config) */
    StoredSegmentReader(S3Client s3, String bucket, String profile) {
        this.s3 = s3;
        this.bucket = bucket;
        this.profile = profile;
    }

    /**
     * Returns what the meta and catalog records of {@code segment} of {@code namespace} carry.
     *
     * @throws CorruptSegmentException when an object fails verification or disagrees with its key or the other
     * @throws software.amazon.awssdk.core.exception.SdkException when S3 refuses (a missing object included)
     */
    DurableSegment read(String namespace, StoredSegment segment) {
        byte[] indexBytes = get(segment.indexKey(), null);
        String indexWhere = where(segment.indexKey());
        PageIndex index = PageIndex.read(ByteBuffer.wrap(indexBytes), indexWhere);
        if (!index.id().equals(segment.id())) {
            throw new CorruptSegmentException(indexWhere, 0, "the index describes segment " + index.id()
                    + " but its key names segment " + segment.id());
        }
        long size = segment.dataSize();
        byte[] header = size < DataObjectEnds.HEADER_SIZE + DataObjectEnds.TRAILER_SIZE ? new byte[0]
                : get(segment.dataKey(), "bytes=0-" + (DataObjectEnds.HEADER_SIZE - 1));
        byte[] trailer = header.length == 0 ? new byte[0]
                : get(segment.dataKey(), "bytes=" + (size - DataObjectEnds.TRAILER_SIZE) + "-" + (size - 1));
        int dataCrc = new DataObjectEnds(header, trailer, size).verifiedCrc32c(index, indexBytes,
                where(segment.dataKey()));
        UploadedSegment uploaded = new UploadedSegment(profile, bucket, segment.dataKey(), segment.indexKey(), size,
                indexBytes.length, dataCrc, DataObjectEnds.crc32c(indexBytes, 0, indexBytes.length),
                index.pageCount());
        return new DurableSegment(namespace, index.id(), index.pageSize(), index.sizeAfter(), uploaded);
    }

    String where(String key) {
        return "s3://" + bucket + "/" + key;
    }

    private byte[] get(String key, String range) {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(key);
        if (range != null) {
            request.range(range);
        }
        return s3.getObjectAsBytes(request.build()).asByteArray();
    }
}
