package dev.fathom.worker.rebuild;

import dev.fathom.producer.storage.ObjectCodec;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The bucket a rebuild reads: one storage profile's bucket and prefix, and the profile name the records carry (what
 * the workers' config calls that bucket). The caller owns and closes the client. Immutable; thread-safe.
 *
 * @param s3      client of the store
 * @param bucket  bucket holding the segments
 * @param prefix  key prefix of the profile, without leading or trailing '/' ("" for none)
 * @param profile storage profile name written into the records
 * @param codec   how the profile stores objects (decrypts them when the profile encrypts)
 */
public record RebuildSource(S3Client s3, String bucket, String prefix, String profile, ObjectCodec codec) {

    /** A source whose objects are stored unencrypted. */
    public RebuildSource(S3Client s3, String bucket, String prefix, String profile) {
        this(s3, bucket, prefix, profile, ObjectCodec.plaintext());
    }
}
