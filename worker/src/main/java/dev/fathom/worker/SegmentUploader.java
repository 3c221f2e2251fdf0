package dev.fathom.worker;

import dev.fathom.producer.storage.ObjectCodec;
import dev.fathom.producer.storage.StorageProfile;
import dev.fathom.schemas.format.CompactedSegmentObjects;
import dev.fathom.schemas.format.ObjectKeys;
import dev.fathom.schemas.format.SegmentId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Writes a compacted segment and then its page index to one storage profile's bucket under keys derived only from
 * the segment ({@link ObjectKeys}), sealed by the profile's {@link ObjectCodec} (client-side encryption when it has a
 * key) and with its server-side encryption headers on every PUT. Idempotent: a retry, a redo after a crash or a
 * zombie worker writes the same bytes to the same keys (the envelope's nonces are deterministic). Request retries
 * belong to the SDK client; this class does not retry. Thread-safe (the S3 client is); the {@link StorageProfiles}
 * that created it owns and closes the client.
 */
final class SegmentUploader {

    private static final Logger log = LoggerFactory.getLogger(SegmentUploader.class);

    private final StorageProfile profile;
    private final S3Client s3;
    private final ObjectCodec codec;

    SegmentUploader(StorageProfile profile, S3Client s3) {
        this.profile = profile;
        this.s3 = s3;
        this.codec = profile.codec();
    }

    StorageProfile profile() {
        return profile;
    }

    /**
     * Uploads {@code objects} of segment {@code id} of {@code namespace}: the data object first, the index second, so
     * an index never points at a missing data object.
     *
     * @throws software.amazon.awssdk.core.exception.SdkException when S3 refuses or cannot be reached
     */
    UploadedSegment upload(String namespace, SegmentId id, CompactedSegmentObjects objects) {
        String dataKey = ObjectKeys.dataKey(profile.prefix(), namespace, id);
        String indexKey = ObjectKeys.indexKey(profile.prefix(), namespace, id);
        long stored = put(dataKey, objects.data());
        stored += put(indexKey, objects.index());
        log.info("Uploaded segment {} of namespace {} to s3://{}/{} ({} bytes, {} pages) and its index ({} bytes);"
                        + " {} bytes stored ({}, server-side encryption {})", id.format(), namespace, profile.bucket(),
                dataKey, objects.data().length, objects.pageCount(), objects.index().length, stored, codec,
                profile.sse());
        return new UploadedSegment(profile.name(), profile.bucket(), dataKey, indexKey, objects.data().length,
                objects.index().length, objects.dataCrc32c(), objects.indexCrc32c(), objects.pageCount());
    }

    /** Stores {@code plaintext} under {@code key} as the profile's codec encodes it; returns the stored size. */
    private long put(String key, byte[] plaintext) {
        byte[] bytes = codec.encode(key, plaintext);
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(profile.bucket()).key(key)
                .contentLength((long) bytes.length).contentType("application/octet-stream");
        // Not fromBytes: it copies the array (4 MiB per default segment); nobody writes these bytes after encoding.
        RequestBody body = RequestBody.fromContentProvider(ContentStreamProvider.fromByteArrayUnsafe(bytes),
                bytes.length, "application/octet-stream");
        s3.putObject(profile.sse().applyTo(request).build(), body);
        return bytes.length;
    }
}
