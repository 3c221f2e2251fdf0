package dev.fathom.producer.restore;

import dev.fathom.producer.storage.ObjectCodec;
import dev.fathom.schemas.format.CorruptSegmentException;
import dev.fathom.schemas.format.SegmentStreamReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Copies the pages a {@link RestorePlan} assigns to each segment from the segment's {@code .seg} object into the
 * restore's file: every object is streamed through a {@link SegmentStreamReader} (so no object is held in memory)
 * and read to its end, so its trailer CRC is verified, and each owned page is written at its position with one
 * reused page buffer per stream. Segments are copied concurrently on the pool; the first failure aborts the other
 * streams and is the one reported. One copier per restore; {@link #copyAll} is called once, by one thread.
 */
final class PageCopier {

    /** Read-ahead per stream: large enough to read a page record in few socket reads. */
    private static final int STREAM_BUFFER_BYTES = 64 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final ObjectCodec codec;
    private final RestorePlan plan;
    private final FileChannel out;
    private final ProgressCounter progress;
    private final Set<ResponseInputStream<GetObjectResponse>> open = ConcurrentHashMap.newKeySet();
    private volatile boolean aborted;

    PageCopier(S3Client s3, String bucket, ObjectCodec codec, RestorePlan plan, FileChannel out,
               ProgressCounter progress) {
        this.s3 = s3;
        this.bucket = bucket;
        this.codec = codec;
        this.plan = plan;
        this.out = out;
        this.progress = progress;
    }

    /**
     * Copies every segment of the plan, in parallel on {@code pool}; returns when all are copied and verified.
     *
     * @throws RestoreException the first failure (fetch, corruption, mismatch with the index, file I/O); the other
     *                          copies are then aborted (their streams closed, pending ones never started)
     */
    void copyAll(ExecutorService pool) {
        CompletionService<Void> done = new ExecutorCompletionService<>(pool);
        List<Future<Void>> copies = new ArrayList<>();
        for (OwnedSegment segment : plan.segments()) {
            copies.add(done.submit(() -> {
                copy(segment);
                return null;
            }));
        }
        try {
            for (int i = 0; i < copies.size(); i++) {
                try {
                    done.take().get();
                } catch (ExecutionException e) {
                    abort(copies);
                    throw RestorePlanner.rethrow(e.getCause());
                }
            }
        } catch (InterruptedException e) {
            abort(copies);
            Thread.currentThread().interrupt();
            throw new RestoreException("Interrupted while copying segments for a restore", e);
        }
    }

    private void abort(List<Future<Void>> copies) {
        aborted = true;
        copies.forEach(f -> f.cancel(false));
        // Closing the connections makes the running copies fail fast instead of downloading to the end.
        open.forEach(ResponseInputStream::abort);
    }

    private void copy(OwnedSegment segment) {
        String where = "s3://" + bucket + "/" + segment.stored().dataKey();
        if (aborted) {
            return;
        }
        ResponseInputStream<GetObjectResponse> stream;
        try {
            stream = s3.getObject(b -> b.bucket(bucket).key(segment.stored().dataKey()));
        } catch (SdkException e) {
            throw new RestoreException("Could not fetch segment " + where + ": " + e.getMessage(), e);
        }
        open.add(stream);
        boolean complete = false;
        try {
            if (!aborted) { // abort() may have run before this stream was registered
                // Decrypting (when the profile encrypts) verifies each block's tag before its bytes are parsed.
                copy(segment, SegmentStreamReader.open(codec.decoding(segment.stored().dataKey(),
                        new BufferedInputStream(stream, STREAM_BUFFER_BYTES), where), where));
                complete = true;
            }
        } catch (CorruptSegmentException e) {
            throw new RestoreException("Corrupt segment " + where + ": " + e.getMessage(), e);
        } catch (IOException | SdkException e) {
            throw new RestoreException((aborted ? "Aborted reading segment " : "Could not read segment ") + where
                    + ": " + e.getMessage(), e);
        } finally {
            open.remove(stream);
            close(stream, complete);
        }
    }

    private void copy(OwnedSegment segment, SegmentStreamReader reader) throws IOException {
        checkMatchesIndex(segment, reader);
        int pageSize = plan.pageSize();
        int written = 0;
        long counted = reader.bytesRead();
        progress.addBytes(counted);
        while (!aborted && reader.next()) {
            int pageNo = reader.pageNo();
            if (plan.owner(pageNo) == segment.owner()) {
                write(reader.page(), (long) (pageNo - 1) * pageSize);
                written++;
            }
            progress.addBytes(reader.bytesRead() - counted);
            counted = reader.bytesRead();
        }
        if (aborted) {
            throw new IOException("another segment of the restore failed");
        }
        progress.addBytes(reader.bytesRead() - counted);
        if (written != segment.ownedPages()) {
            throw new RestoreException("Segment " + reader.where() + " holds " + written + " of the "
                    + segment.ownedPages() + " pages its index " + segment.stored().indexKey() + " lists for it");
        }
        progress.segmentDone();
    }

    /** The .seg header must describe the same segment as the .idx the plan was built from. */
    private static void checkMatchesIndex(OwnedSegment segment, SegmentStreamReader reader) {
        if (!reader.id().equals(segment.id()) || reader.sizeAfter() != segment.sizeAfter()
                || reader.pageCount() != segment.pageCount() || reader.objectSize() != segment.dataSize()) {
            throw new RestoreException("Segment " + reader.where() + " does not match its page index "
                    + segment.stored().indexKey() + ": segment " + reader.id().format() + " size_after "
                    + reader.sizeAfter() + " with " + reader.pageCount() + " pages, index " + segment.id().format()
                    + " size_after " + segment.sizeAfter() + " with " + segment.pageCount() + " pages");
        }
    }

    private void write(ByteBuffer page, long position) throws IOException {
        long at = position;
        while (page.hasRemaining()) {
            at += out.write(page, at);
        }
    }

    /** Closes the stream; one not read to its end is aborted, as the SDK would otherwise drain it to reuse it. */
    private static void close(ResponseInputStream<GetObjectResponse> stream, boolean complete) {
        if (!complete) {
            stream.abort();
        }
        try {
            stream.close();
        } catch (IOException | SdkException e) {
            // Nothing to recover: the copy's outcome is already decided and the connection is discarded.
        }
    }
}
