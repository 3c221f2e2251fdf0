package dev.fathom.worker.rebuild;

import dev.fathom.producer.restore.StoredSegment;
import dev.fathom.producer.storage.ObjectCodec;
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
 * the pages. Objects go through the profile's {@link ObjectCodec}: when it encrypts, the ends are read from the
 * encrypted blocks holding them and every size and CRC is the plaintext's, as the worker records them. Thread-safe
 * when the client is; the caller owns the client.
 */
final class StoredSegmentReader {

    private final S3Client s3;
    private final String bucket;
    private final String profile;
    private final ObjectCodec codec;

    /**
     * @param profile storage profile name recorded in the records (the bucket's profile in the workers' config)
     * @param codec   how that profile stores objects
     */
    StoredSegmentReader(S3Client s3, String bucket, String profile, ObjectCodec codec) {
        this.s3 = s3;
        this.bucket = bucket;
        this.profile = profile;
        this.codec = codec;
    }

    /**
     * Returns what the meta and catalog records of {@code segment} of {@code namespace} carry.
     *
     * @throws CorruptSegmentException when an object fails verification or disagrees with its key or the other
     * @throws software.amazon.awssdk.core.exception.SdkException when S3 refuses (a missing object included)
     */
    DurableSegment read(String namespace, StoredSegment segment) {
        String indexWhere = where(segment.indexKey());
        byte[] indexBytes = codec.decode(segment.indexKey(), get(segment.indexKey(), null), indexWhere);
        PageIndex index = PageIndex.read(ByteBuffer.wrap(indexBytes), indexWhere);
        if (!index.id().equals(segment.id())) {
            throw new CorruptSegmentException(indexWhere, 0, "the index describes segment " + index.id()
                    + " but its key names segment " + segment.id());
        }
        long size = codec.plaintextSize(segment.dataSize());
        byte[] header = size < DataObjectEnds.HEADER_SIZE + DataObjectEnds.TRAILER_SIZE ? new byte[0]
                : range(segment.dataKey(), 0, DataObjectEnds.HEADER_SIZE, size);
        byte[] trailer = header.length == 0 ? new byte[0]
                : range(segment.dataKey(), size - DataObjectEnds.TRAILER_SIZE, DataObjectEnds.TRAILER_SIZE, size);
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

    /** Plaintext bytes [offset, offset + length) of an object of {@code size} plaintext bytes. */
    private byte[] range(String key, long offset, int length, long size) {
        ObjectCodec.StoredRange stored = codec.storedRange(offset, length, size);
        return codec.decodeRange(key, get(key, stored.header()), offset, length, size, where(key));
    }

    private byte[] get(String key, String range) {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(key);
        if (range != null) {
            request.range(range);
        }
        return s3.getObjectAsBytes(request.build()).asByteArray();
    }
}
