package dev.fathom.worker.rebuild;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * The bucket a rebuild reads: one storage profile's bucket and prefix, and the profile name the records carry (what
 * the workers' config calls that bucket). The caller owns and closes the client. Immutable; thread-safe.
 *
 * @param s3      client of the store
 * @param bucket  bucket holding the segments
 * @param prefix  key prefix of the profile, without leading or trailing '/' ("" for none)
 * @param profile storage profile name written into the records
 */
public record RebuildSource(S3Client s3, String bucket, String prefix, String profile) {
}
