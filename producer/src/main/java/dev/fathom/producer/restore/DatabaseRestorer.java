package dev.fathom.producer.restore;

import dev.fathom.schemas.format.CompactedSegment;
import dev.fathom.schemas.format.CorruptSegmentException;
import dev.fathom.schemas.format.Frame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * Rebuilds the database file of a namespace from its compacted segments in a bucket: newest segment first, each page
 * taken from the newest segment holding it, written to a temp file next to the target that is fsynced and atomically
 * renamed. Stateless; thread-safe (concurrent restores must use different target files).
 */
public final class DatabaseRestorer {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseRestorer.class);

    private final Clock clock;

    /** Creates a restorer timing restores with the system UTC clock. */
    public DatabaseRestorer() {
        this(Clock.systemUTC());
    }

    /** Creates a restorer timing restores with {@code clock}. */
    public DatabaseRestorer(Clock clock) {
        this.clock = clock;
    }

    /**
     * Restores {@code namespace} as of {@code target} into {@code targetFile} (replaced atomically).
     *
     * @throws RestoreException when no segment matches, frames are missing, a segment is corrupt (the message names
     *                          {@code s3://bucket/key}), pages are missing after frame 1, or I/O fails; the target
     *                          file is then left untouched
     */
    public RestoreResult restore(S3Client s3, String bucket, String prefix, String namespace, RestoreTarget target,
                                 Path targetFile) {
        Instant start = clock.instant();
        List<StoredSegment> chain = SegmentChain.resolve(namespace,
                new BucketSegmentCatalog(s3, bucket, prefix).segments(namespace), target);
        StoredSegment newest = chain.get(chain.size() - 1);
        Path dir = targetFile.toAbsolutePath().getParent();
        Path temp = createTemp(dir, targetFile);
        try {
            PageFill fill = fill(s3, bucket, namespace, chain, temp);
            Files.move(temp, targetFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            fsyncDirectory(dir);
            RestoreResult result = new RestoreResult(namespace, newest.id(), newest.id().endFrameNo(),
                    fill.pagesWritten, fill.segmentsRead, fill.bytesFetched, Duration.between(start, clock.instant()));
            LOG.info("Restored namespace {} to segment {} ({} pages from {} segments, {} bytes) into {}.",
                    namespace, newest.id().format(), fill.pagesWritten, fill.segmentsRead, fill.bytesFetched,
                    targetFile);
            return result;
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new RestoreException("Could not write the restore of namespace '" + namespace + "' to "
                    + targetFile + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    /** Counters of one restore. */
    private static final class PageFill {
        int pagesWritten;
        int segmentsRead;
        long bytesFetched;
    }

    private static PageFill fill(S3Client s3, String bucket, String namespace, List<StoredSegment> chain, Path temp)
            throws IOException {
        StoredSegment newest = chain.get(chain.size() - 1);
        PageFill fill = new PageFill();
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            int sizeAfter = -1;
            int limit = Integer.MAX_VALUE;
            int pageSize = 0;
            BitSet written = new BitSet();
            for (int i = chain.size() - 1; i >= 0 && (sizeAfter < 0 || fill.pagesWritten < sizeAfter); i--) {
                CompactedSegment segment = fetch(s3, bucket, chain.get(i), fill);
                if (sizeAfter < 0) {
                    sizeAfter = segment.sizeAfter();
                    pageSize = segment.pageSize();
                } else if (segment.pageSize() != pageSize) {
                    throw new RestoreException("Segment " + chain.get(i).dataKey() + " of namespace '" + namespace
                            + "' has page size " + segment.pageSize() + ", the target segment " + pageSize);
                }
                // A page older than a truncation below it is stale: the regrown page must come from a newer segment.
                limit = Math.min(limit, segment.sizeAfter());
                for (Frame page : segment.pages()) {
                    int pageNo = page.pageNo();
                    if (pageNo <= limit && !written.get(pageNo)) {
                        out.write(ByteBuffer.wrap(page.page()), (long) (pageNo - 1) * segment.pageSize());
                        written.set(pageNo);
                        fill.pagesWritten++;
                    }
                }
            }
            if (fill.pagesWritten < sizeAfter) {
                int missing = written.nextClearBit(1);
                throw new RestoreException("Namespace '" + namespace + "' restored to segment "
                        + newest.id().format() + " is missing " + (sizeAfter - fill.pagesWritten) + " of "
                        + sizeAfter + " pages after reading back to frame 1 (first missing page " + missing + ")");
            }
            // The temp file starts empty and only pages 1..size_after are written: its size is already exact.
            out.force(true);
        }
        return fill;
    }

    private static CompactedSegment fetch(S3Client s3, String bucket, StoredSegment stored, PageFill fill) {
        String where = "s3://" + bucket + "/" + stored.dataKey();
        byte[] bytes;
        try {
            bytes = s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(stored.dataKey()).build())
                    .asByteArray();
        } catch (SdkException e) {
            throw new RestoreException("Could not fetch segment " + where + ": " + e.getMessage(), e);
        }
        fill.segmentsRead++;
        fill.bytesFetched += bytes.length;
        try {
            CompactedSegment segment = CompactedSegment.read(ByteBuffer.wrap(bytes), where);
            if (!segment.id().equals(stored.id())) {
                throw new RestoreException("Segment " + where + " holds " + segment.id().format()
                        + ", not the segment its key names");
            }
            return segment;
        } catch (CorruptSegmentException e) {
            throw new RestoreException("Corrupt segment " + where + ": " + e.getMessage(), e);
        }
    }

    private static Path createTemp(Path dir, Path targetFile) {
        try {
            return Files.createTempFile(dir, "." + targetFile.getFileName() + ".", ".restoring");
        } catch (IOException e) {
            throw new RestoreException("Could not create a temp file next to " + targetFile + ": " + e.getMessage(),
                    e);
        }
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for fsync; the rename itself has already happened.
            LOG.debug("Could not fsync directory {} after a restore: {}", dir, e.getMessage());
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            LOG.warn("Could not delete the partial restore file {}: {}", temp, e.getMessage());
        }
    }
}
