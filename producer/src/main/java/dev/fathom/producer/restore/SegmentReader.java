package dev.fathom.producer.restore;

import dev.fathom.producer.storage.ObjectCodec;
import dev.fathom.schemas.format.CompactedSegment;
import dev.fathom.schemas.format.CorruptSegmentException;
import dev.fathom.schemas.format.PageIndex;
import dev.fathom.schemas.format.PageLocation;
import dev.fathom.schemas.format.SegmentId;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.zip.CRC32C;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Fetches and verifies the objects of stored segments in one bucket: a page index, a whole compacted segment, or one
 * page through a ranged GET checked against the CRC32C its index records. Page indexes and pages are kept in a bounded
 * LRU cache ({@code page.cache.max.pages}); they never go stale because an object key depends only on the data.
 * Objects are decoded by the profile's {@link ObjectCodec} (decrypted and authenticated when it encrypts; a ranged GET
 * then covers the encrypted blocks holding the page). Every failure is a {@link RestoreException} naming
 * {@code s3://bucket/key}. Thread-safe; the S3 client belongs to the
 * caller, who closes it.
 */
public final class SegmentReader {

    private final S3Client s3;
    private final String bucket;
    private final ObjectCodec codec;
    private final PageCache cache;

    private record IndexEntry(String indexKey) {
    }

    private record PageEntry(String dataKey, int pageNo) {
    }

    /** Creates a reader of {@code bucket} caching at most {@code cacheMaxPages} pages' worth (0 = no cache). */
    public SegmentReader(S3Client s3, String bucket, int cacheMaxPages) {
        this(s3, bucket, ObjectCodec.plaintext(), cacheMaxPages);
    }

    /** As {@link #SegmentReader(S3Client, String, int)}, decoding objects with {@code codec}. */
    public SegmentReader(S3Client s3, String bucket, ObjectCodec codec, int cacheMaxPages) {
        if (cacheMaxPages < 0) {
            throw new IllegalArgumentException("The page cache size must be >= 0 pages, got " + cacheMaxPages);
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.codec = codec;
        this.cache = new PageCache(cacheMaxPages);
    }

    /**
     * Returns the verified page index of {@code segment} (cached).
     *
     * @throws RestoreException when the object is missing, unreadable, corrupt or describes another segment
     */
    public PageIndex fetchIndex(StoredSegment segment) {
        IndexEntry key = new IndexEntry(segment.indexKey());
        Optional<PageIndex> cached = cache.get(key, PageIndex.class);
        if (cached.isPresent()) {
            return cached.get();
        }
        byte[] bytes;
        PageIndex index;
        try {
            bytes = codec.decode(segment.indexKey(), get(segment.indexKey(), null), where(segment.indexKey()));
            index = PageIndex.read(ByteBuffer.wrap(bytes), where(segment.indexKey()));
        } catch (CorruptSegmentException e) {
            throw new RestoreException("Corrupt page index " + where(segment.indexKey()) + ": " + e.getMessage(), e);
        }
        requireId(index.id(), segment, segment.indexKey());
        cache.put(key, index, Math.max(1, (bytes.length + index.pageSize() - 1) / index.pageSize()));
        return index;
    }

    /**
     * Returns the whole verified compacted segment of {@code segment} (not cached: it can be large).
     *
     * @throws RestoreException when the object is missing, unreadable, corrupt or holds another segment
     */
    public CompactedSegment fetchData(StoredSegment segment) {
        try {
            byte[] bytes = codec.decode(segment.dataKey(), get(segment.dataKey(), null), where(segment.dataKey()));
            CompactedSegment data = CompactedSegment.read(ByteBuffer.wrap(bytes), where(segment.dataKey()));
            requireId(data.id(), segment, segment.dataKey());
            return data;
        } catch (CorruptSegmentException e) {
            throw new RestoreException("Corrupt segment " + where(segment.dataKey()) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns page {@code pageNo} as {@code segment} holds it, fetched with one ranged GET of the {@code .seg} object
     * and checked against the CRC32C in the segment's index; empty when the segment does not hold that page.
     *
     * @throws RestoreException when an object is missing, unreadable or corrupt, naming it
     */
    public Optional<byte[]> readPage(StoredSegment segment, int pageNo) {
        PageIndex index = fetchIndex(segment);
        Optional<PageLocation> location = index.locate(pageNo);
        if (location.isEmpty()) {
            return Optional.empty();
        }
        PageEntry key = new PageEntry(segment.dataKey(), pageNo);
        Optional<byte[]> cached = cache.get(key, byte[].class);
        if (cached.isPresent()) {
            return Optional.of(cached.get().clone());
        }
        byte[] page = fetchPage(segment, location.get(), index.dataSize());
        cache.put(key, page, 1);
        return Optional.of(page.clone());
    }

    private byte[] fetchPage(StoredSegment segment, PageLocation location, long dataSize) {
        long last = location.offset() + location.length() - 1;
        ObjectCodec.StoredRange stored = codec.storedRange(location.offset(), location.length(), dataSize);
        String range = stored.header();
        byte[] page;
        try {
            page = codec.decodeRange(segment.dataKey(), get(segment.dataKey(), range), location.offset(),
                    location.length(), dataSize, where(segment.dataKey()));
        } catch (CorruptSegmentException e) {
            throw new RestoreException("Page " + location.pageNo() + " of " + where(segment.dataKey())
                    + " cannot be read: " + e.getMessage(), e);
        }
        if (page.length != location.length()) {
            throw new RestoreException("Ranged GET " + range + " of " + where(segment.dataKey()) + " returned "
                    + page.length + " bytes, expected page " + location.pageNo() + "'s " + location.length());
        }
        CRC32C crc = new CRC32C();
        crc.update(page);
        int computed = (int) crc.getValue();
        if (computed != location.crc32c()) {
            throw new RestoreException("Page " + location.pageNo() + " of " + where(segment.dataKey()) + " (bytes "
                    + location.offset() + ".." + last + ") fails its CRC32C check: " + where(segment.indexKey())
                    + " records " + hex(location.crc32c()) + ", the bytes read have " + hex(computed));
        }
        return page;
    }

    private byte[] get(String key, String range) {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(key);
        if (range != null) {
            request.range(range);
        }
        try {
            return s3.getObjectAsBytes(request.build()).asByteArray();
        } catch (NoSuchKeyException e) {
            throw new RestoreException("Segment object " + where(key) + " is missing (" + e.getMessage() + ")", e);
        } catch (SdkException e) {
            throw new RestoreException("Could not fetch " + where(key) + (range == null ? "" : " (" + range + ")")
                    + ": " + e.getMessage(), e);
        }
    }

    private void requireId(SegmentId actual, StoredSegment segment, String key) {
        if (!actual.equals(segment.id())) {
            throw new RestoreException("Object " + where(key) + " holds segment " + actual.format()
                    + ", not " + segment.id().format() + " as its key says");
        }
    }

    private String where(String key) {
        return "s3://" + bucket + "/" + key;
    }

    private static String hex(int crc) {
        return String.format("0x%08x", crc);
    }

    /** Returns the number of cached indexes and pages (for tests and metrics). */
    int cachedEntries() {
        return cache.size();
    }
}
