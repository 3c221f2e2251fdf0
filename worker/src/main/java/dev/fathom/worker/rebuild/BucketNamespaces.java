package dev.fathom.worker.rebuild;

import dev.fathom.schemas.Namespace;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

/**
 * Lists the namespaces stored under a storage profile's prefix: the {@code <prefix>/<namespace>/} "directories" of a
 * delimiter listing whose name is a valid namespace (anything else in the bucket is ignored). Stateless; thread-safe
 * when the client is.
 */
final class BucketNamespaces {

    private BucketNamespaces() {
    }

    /** Returns the namespaces under {@code prefix} ("" for none) of {@code bucket}, sorted by name. */
    static List<String> list(S3Client s3, String bucket, String prefix) {
        String listPrefix = prefix.isEmpty() ? "" : prefix + "/";
        ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket).prefix(listPrefix)
                .delimiter("/").build();
        List<String> namespaces = new ArrayList<>();
        for (CommonPrefix dir : s3.listObjectsV2Paginator(request).commonPrefixes()) {
            String name = dir.prefix().substring(listPrefix.length(), dir.prefix().length() - 1);
            if (Namespace.isValid(name)) {
                namespaces.add(name);
            }
        }
        namespaces.sort(null);
        return namespaces;
    }
}
