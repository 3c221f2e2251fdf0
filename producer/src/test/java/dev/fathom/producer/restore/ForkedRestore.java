package dev.fathom.producer.restore;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Restores one namespace in a JVM of its own, so a test can bound its heap ({@code -Xmx}) and measure it; run by
 * {@code DatabaseRestorerMemoryIT} through {@code ForkedJvm}. Prints one {@code RESULT key=value ...} line and exits 0,
 * or prints the failure and exits 1.
 * Arguments: endpoint accessKey secretKey region bucket prefix namespace targetFile parallelism.
 */
public final class ForkedRestore {

    private ForkedRestore() {
    }

    public static void main(String[] args) {
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(args[0])).region(Region.of(args[3]))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(args[1], args[2])))
                .forcePathStyle(true).build()) {
            String bucket = args[4];
            String namespace = args[6];
            List<StoredSegment> catalog = new BucketSegmentCatalog(s3, bucket, args[5]).segments(namespace);
            RestoreResult result = new DatabaseRestorer(s3, bucket, Integer.parseInt(args[8]))
                    .restore(namespace, catalog, RestoreTarget.latest(), Path.of(args[7]), progress -> { });
            System.out.println("RESULT pages=" + result.pagesWritten() + " segments=" + result.segmentsRead()
                    + " indexes=" + result.indexesRead() + " bytes=" + result.bytesFetched()
                    + " millis=" + result.duration().toMillis() + " peakHeapBytes=" + peakHeapBytes()
                    + " maxHeapBytes=" + Runtime.getRuntime().maxMemory());
            System.exit(0);
        } catch (RuntimeException e) {
            e.printStackTrace(System.out);
            System.exit(1);
        }
    }

    /** Sum of the peak use of every heap pool since start: an upper bound of the heap ever in use at once. */
    private static long peakHeapBytes() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }
}
