package dev.fathom.producer.restore;

import dev.fathom.producer.storage.ObjectCodec;
import dev.fathom.schemas.format.CorruptSegmentException;
import dev.fathom.schemas.format.PageIndex;
import dev.fathom.schemas.format.PageLocation;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds a {@link RestorePlan} from the page indexes of a chain, newest segment first: each page number at or below
 * the running truncation limit (the smallest size_after seen so far) goes to the newest segment holding it, and
 * reading stops once every page 1..size_after of the target has an owner. Because a page only ever goes to the
 * newest segment holding it, a segment's owned pages are final once its index is assigned: the planner hands each
 * owning segment to a {@link Listener} right then, so its copy can start while older indexes are still read. Up to
 * {@code window} indexes are fetched ahead on the pool, in the order they are needed; indexes fetched ahead but not
 * needed are dropped. Only small objects are held: one verified index per fetch in flight. Not thread-safe; one
 * planner per restore.
 */
final class RestorePlanner {

    /** Told about each segment that owns pages, newest first, on the planning thread, as soon as they are final. */
    interface Listener {
        /**
         * {@code segment}'s owned pages are those {@code owners} gives to {@code segment.owner()}; they no longer
         * change. May block (to bound the work queued behind it) and may throw to stop the planning.
         */
        void owned(OwnedSegment segment, PageOwners owners);
    }

    /** A verified index and the size of its object. */
    private record FetchedIndex(PageIndex index, long bytes) {
    }

    private final S3Client s3;
    private final String bucket;
    private final ObjectCodec codec;
    private final ExecutorService pool;
    private final int window;

    RestorePlanner(S3Client s3, String bucket, ObjectCodec codec, ExecutorService pool, int window) {
        this.s3 = s3;
        this.bucket = bucket;
        this.codec = codec;
        this.pool = pool;
        this.window = window;
    }

    /**
     * Plans the restore of {@code chain} (oldest first, contiguous from frame 1) to its newest segment, telling
     * {@code listener} about each owning segment as soon as its pages are final.
     *
     * @throws RestoreException when an index cannot be fetched, is corrupt, names another segment than its key,
     *                          has another page size than the target, or pages are missing after frame 1 (segments
     *                          already handed to the listener must then be dropped); or what the listener throws
     */
    RestorePlan plan(String namespace, List<StoredSegment> chain, Listener listener) {
        Deque<Future<FetchedIndex>> ahead = new ArrayDeque<>();
        int next = chain.size() - 1;
        try {
            Assignment assignment = null;
            for (int i = chain.size() - 1; i >= 0 && (assignment == null || assignment.remaining > 0); i--) {
                while (ahead.size() < window && next >= 0) {
                    StoredSegment segment = chain.get(next--);
                    ahead.add(pool.submit(() -> fetch(segment)));
                }
                FetchedIndex fetched = await(ahead.removeFirst());
                if (assignment == null) {
                    assignment = new Assignment(fetched.index());
                }
                OwnedSegment owning = assignment.assign(namespace, chain.get(i), i + 1, fetched);
                if (owning != null) {
                    listener.owned(owning, assignment.owners);
                }
            }
            return assignment.finish(namespace, chain.get(chain.size() - 1));
        } finally {
            // Indexes fetched ahead that the plan did not need; running fetches finish on their own (small objects).
            ahead.forEach(f -> f.cancel(false));
        }
    }

    /** The page → owner assignment while it is being built. */
    private static final class Assignment {
        private final int pageSize;
        private final PageOwners owners;
        private final List<OwnedSegment> segments = new ArrayList<>();
        private int remaining;
        private int limit = Integer.MAX_VALUE;
        private int indexesRead;
        private long indexBytes;

        Assignment(PageIndex target) {
            this.pageSize = target.pageSize();
            this.owners = new PageOwners(target.pageSize(), target.sizeAfter());
            this.remaining = target.sizeAfter();
        }

        /** Assigns the pages of one index; returns the segment when it owns any, else null. */
        OwnedSegment assign(String namespace, StoredSegment stored, int owner, FetchedIndex fetched) {
            PageIndex index = fetched.index();
            indexesRead++;
            indexBytes += fetched.bytes();
            if (index.pageSize() != pageSize) {
                throw new RestoreException("Segment " + stored.indexKey() + " of namespace '" + namespace
                        + "' has page size " + index.pageSize() + ", the target segment " + pageSize);
            }
            // A page older than a truncation below it is stale: the regrown page must come from a newer segment.
            limit = Math.min(limit, index.sizeAfter());
            int owned = 0;
            for (PageLocation location : index.locations()) {
                int pageNo = location.pageNo();
                if (pageNo > limit) {
                    break; // locations are sorted by page_no
                }
                if (owners.claim(pageNo, owner)) {
                    owned++;
                }
            }
            remaining -= owned;
            if (owned == 0) {
                return null;
            }
            OwnedSegment segment = new OwnedSegment(stored, owner, index.id(), index.sizeAfter(), index.pageCount(),
                    index.dataSize(), owned);
            segments.add(segment);
            return segment;
        }

        RestorePlan finish(String namespace, StoredSegment target) {
            if (remaining > 0) {
                int missing = owners.firstUnowned();
                int sizeAfter = owners.sizeAfter();
                throw new RestoreException("Namespace '" + namespace + "' restored to segment "
                        + target.id().format() + " is missing " + remaining + " of " + sizeAfter
                        + " pages after reading back to frame 1 (first missing page " + missing + ")");
            }
            return new RestorePlan(owners, segments, indexesRead, indexBytes);
        }
    }

    private FetchedIndex fetch(StoredSegment stored) {
        String where = "s3://" + bucket + "/" + stored.indexKey();
        byte[] bytes;
        try {
            bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(stored.indexKey())).asByteArray();
        } catch (SdkException e) {
            throw new RestoreException("Could not fetch page index " + where + ": " + e.getMessage(), e);
        }
        PageIndex index;
        try {
            index = PageIndex.read(ByteBuffer.wrap(codec.decode(stored.indexKey(), bytes, where)), where);
        } catch (CorruptSegmentException e) {
            throw new RestoreException("Corrupt page index " + where + ": " + e.getMessage(), e);
        }
        if (!index.id().equals(stored.id())) {
            throw new RestoreException("Page index " + where + " describes segment " + index.id().format()
                    + ", not the segment its key names");
        }
        return new FetchedIndex(index, bytes.length);
    }

    private static FetchedIndex await(Future<FetchedIndex> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RestoreException("Interrupted while fetching page indexes for a restore", e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    /** The task's own exception, thrown again in the planning thread. */
    static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new RestoreException("A restore task failed: " + cause, cause);
    }
}
