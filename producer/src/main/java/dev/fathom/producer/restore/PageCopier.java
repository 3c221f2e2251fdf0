package dev.fathom.producer.restore;

import dev.fathom.producer.storage.ObjectCodec;
import dev.fathom.schemas.format.CorruptSegmentException;
import dev.fathom.schemas.format.SegmentStreamReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Clock;
import java.time.Instant;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Copies the pages a restore's {@link PageOwners} assign to each segment from the segment's {@code .seg} object into
 * the restore's file, starting each copy as soon as the planner hands the segment over ({@link #owned}), while older
 * indexes are still being planned. Every object is streamed through a {@link SegmentStreamReader} (so no object is
 * held in memory) and read to its end, so its trailer CRC is verified; owned pages that land at adjacent file
 * positions are gathered in one reused buffer per running copy and written together, as a restored database is
 * mostly long runs of pages. Copies run concurrently on the pool, at most {@code maxPending} submitted and not yet
 * ended (the planner waits beyond that); the first failure (of a copy, or of the planning via {@link #fail}) aborts
 * the other streams and is the one reported. One copier per restore; {@link #owned}, {@link #awaitAll} and
 * {@link #fail} are called by the restore's thread, copies run on the pool.
 */
final class PageCopier implements RestorePlanner.Listener {

    /** Read-ahead per stream: large enough to read a page record in few socket reads. */
    private static final int STREAM_BUFFER_BYTES = 64 * 1024;

    /**
     * Bytes of adjacent owned pages written with one call: four pages of the largest page size (64 KiB), 64 of the
     * usual 4 KiB, so a run costs one system call instead of one per page; one buffer per running copy.
     */
    static final int WRITE_BUFFER_BYTES = 256 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final ObjectCodec codec;
    private final FileChannel out;
    private final ProgressCounter progress;
    private final ExecutorService pool;
    private final int maxPending;
    private final Clock clock;
    private final Set<ResponseInputStream<GetObjectResponse>> open = ConcurrentHashMap.newKeySet();
    /** Write buffers of ended copies, reused by later ones: no more exist than copies ever ran at once. */
    private final Queue<ByteBuffer> writeBuffers = new ConcurrentLinkedQueue<>();
    private final Object lock = new Object();
    private int pending; // guarded by lock: copies submitted and not yet ended
    private Throwable failure; // guarded by lock: the first failure, reported by every later call
    private Instant startedAt; // the restore's thread only
    private volatile boolean aborted;

    /**
     * @param pool       runs the copies; not the pool that fetches the indexes, where index fetches would queue
     *                   behind every pending copy and planning would end only with the copies
     * @param maxPending copies submitted and not ended beyond which {@link #owned} waits
     */
    PageCopier(S3Client s3, String bucket, ObjectCodec codec, FileChannel out, ProgressCounter progress,
               ExecutorService pool, int maxPending, Clock clock) {
        this.s3 = s3;
        this.bucket = bucket;
        this.codec = codec;
        this.out = out;
        this.progress = progress;
        this.pool = pool;
        this.maxPending = maxPending;
        this.clock = clock;
    }

    /**
     * Starts copying the pages {@code owners} gives to {@code segment}, waiting first while {@code maxPending} copies
     * are pending.
     *
     * @throws RestoreException the first failure of a copy, once one failed
     */
    @Override
    public void owned(OwnedSegment segment, PageOwners owners) {
        synchronized (lock) {
            while (failure == null && pending >= maxPending) {
                waitForCopies();
            }
            if (failure != null) {
                throw RestorePlanner.rethrow(failure);
            }
            pending++;
            if (startedAt == null) {
                startedAt = clock.instant();
            }
        }
        try {
            pool.execute(() -> run(segment, owners));
        } catch (RuntimeException e) {
            ended();
            throw e;
        }
    }

    /**
     * Returns when every submitted copy has ended, all of them successfully.
     *
     * @throws RestoreException the first failure (fetch, corruption, mismatch with the index, file I/O); the other
     *                          copies are then aborted (their streams closed, pending ones never start reading)
     */
    void awaitAll() {
        Throwable first;
        synchronized (lock) {
            while (failure == null && pending > 0) {
                waitForCopies();
            }
            first = failure;
        }
        if (first != null) {
            throw fail(first);
        }
    }

    /**
     * Records {@code cause} unless an earlier failure was recorded, aborts every copy and returns the first failure
     * to throw (or throws it when it is an {@link Error}).
     */
    RuntimeException fail(Throwable cause) {
        return RestorePlanner.rethrow(abort(cause));
    }

    /** Records {@code cause} unless an earlier failure was recorded, aborts every copy; returns the first failure. */
    private Throwable abort(Throwable cause) {
        Throwable first;
        synchronized (lock) {
            if (failure == null) {
                failure = cause;
            }
            first = failure;
            lock.notifyAll();
        }
        aborted = true;
        // Closing the connections makes the running copies fail fast instead of downloading to the end.
        open.forEach(ResponseInputStream::abort);
        return first;
    }

    /** Returns when the first copy was submitted, or null when none was. */
    Instant startedAt() {
        return startedAt;
    }

    private void waitForCopies() {
        try {
            lock.wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RestoreException("Interrupted while copying segments for a restore", e);
        }
    }

    private void run(OwnedSegment segment, PageOwners owners) {
        try {
            copy(segment, owners);
        } catch (Throwable e) { // recorded, and thrown again by the restore's thread
            abort(e);
        } finally {
            ended();
        }
    }

    private void ended() {
        synchronized (lock) {
            pending--;
            lock.notifyAll();
        }
    }

    private void copy(OwnedSegment segment, PageOwners owners) {
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
        ByteBuffer run = writeBuffer();
        try {
            if (!aborted) { // fail() may have run before this stream was registered
                // Decrypting (when the profile encrypts) verifies each block's tag before its bytes are parsed.
                copy(segment, owners, SegmentStreamReader.open(codec.decoding(segment.stored().dataKey(),
                        new BufferedInputStream(stream, STREAM_BUFFER_BYTES), where), where), run);
                complete = true;
            }
        } catch (CorruptSegmentException e) {
            throw new RestoreException("Corrupt segment " + where + ": " + e.getMessage(), e);
        } catch (IOException | SdkException e) {
            throw new RestoreException((aborted ? "Aborted reading segment " : "Could not read segment ") + where
                    + ": " + e.getMessage(), e);
        } finally {
            writeBuffers.add(run.clear());
            open.remove(stream);
            close(stream, complete);
        }
    }

    /**
     * Writes the owned pages of one stream, a run of adjacent ones at a time: a run is written when the next owned
     * page does not follow it in the file, when the buffer is full and at the end.
     */
    private void copy(OwnedSegment segment, PageOwners owners, SegmentStreamReader reader, ByteBuffer run)
            throws IOException {
        checkMatchesIndex(segment, reader);
        int pageSize = owners.pageSize();
        int written = 0;
        long runStart = 0; // file position of the run's first byte while the buffer holds a run
        long counted = reader.bytesRead();
        progress.addBytes(counted);
        while (!aborted && reader.next()) {
            int pageNo = reader.pageNo();
            // Racy read of the shared owners, correct for pages of this segment: see PageOwners.
            if (owners.owner(pageNo) == segment.owner()) {
                long position = (long) (pageNo - 1) * pageSize;
                if (run.position() > 0 && (runStart + run.position() != position || run.remaining() < pageSize)) {
                    write(run, runStart);
                }
                if (run.position() == 0) {
                    runStart = position;
                }
                run.put(reader.page());
                written++;
            }
            if (reader.bytesRead() - counted >= WRITE_BUFFER_BYTES) { // one report call per run, not per page
                progress.addBytes(reader.bytesRead() - counted);
                counted = reader.bytesRead();
            }
        }
        if (aborted) {
            throw new IOException("another segment of the restore failed");
        }
        write(run, runStart); // the trailer is verified: the last run
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

    /** A buffer of an ended copy, or a new one; direct, so the channel writes it without copying it again. */
    private ByteBuffer writeBuffer() {
        ByteBuffer buffer = writeBuffers.poll();
        return buffer != null ? buffer : ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);
    }

    /** Writes the buffered run at {@code position} and empties the buffer. */
    private void write(ByteBuffer run, long position) throws IOException {
        run.flip();
        long at = position;
        while (run.hasRemaining()) {
            at += out.write(run, at);
        }
        run.clear();
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
