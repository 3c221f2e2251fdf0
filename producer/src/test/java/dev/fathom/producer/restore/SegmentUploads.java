package dev.fathom.producer.restore;

import dev.fathom.schemas.format.CompactedSegmentObjects;
import dev.fathom.schemas.format.CompactedSegmentWriter;
import dev.fathom.schemas.format.Frame;
import dev.fathom.schemas.format.ObjectKeys;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.S3Server;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Test data of the read-path ITs: small segments whose pages say which page and frame they are, uploaded as the
 * worker would (compacted object, then index), and the page a database holds after replaying frames. Stateless.
 */
final class SegmentUploads {

    static final int PAGE = 512;

    private SegmentUploads() {
    }

    /** A segment from {@code start} writing {@code pageNos} in order, the last frame committing {@code sizeAfter}. */
    static SealedSegment segment(long start, long sealedAtMs, int sizeAfter, int... pageNos) {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < pageNos.length; i++) {
            long frameNo = start + i;
            byte[] page = new byte[PAGE];
            ByteBuffer.wrap(page).putInt(pageNos[i]).putLong(frameNo);
            frames.add(new Frame(pageNos[i], i == pageNos.length - 1 ? sizeAfter : 0, frameNo, page));
        }
        return SealedSegment.of(PAGE, sealedAtMs, frames);
    }

    /** Uploads {@code segment} of {@code namespace} under {@code prefix}: data first, then the index. */
    static StoredSegment upload(S3Server s3, String bucket, String prefix, String namespace, SealedSegment segment) {
        CompactedSegmentObjects objects = CompactedSegmentWriter.write(segment);
        String dataKey = ObjectKeys.dataKey(prefix, namespace, segment.id());
        String indexKey = ObjectKeys.indexKey(prefix, namespace, segment.id());
        put(s3, bucket, dataKey, objects.data());
        put(s3, bucket, indexKey, objects.index());
        return new StoredSegment(segment.id(), dataKey, indexKey, objects.data().length);
    }

    static void put(S3Server s3, String bucket, String key, byte[] bytes) {
        s3.client().putObject(PutObjectRequest.builder().bucket(bucket).key(key).build(),
                RequestBody.fromBytes(bytes));
    }

    /** Replays every frame of {@code segments} (oldest first): the database file after the last commit. */
    static byte[] replay(List<SealedSegment> segments) {
        Map<Integer, byte[]> pages = new TreeMap<>();
        int size = 0;
        for (SealedSegment segment : segments) {
            for (Frame frame : segment.frames()) {
                pages.put(frame.pageNo(), frame.page());
                if (frame.isCommit()) {
                    size = frame.sizeAfter();
                }
            }
        }
        ByteBuffer file = ByteBuffer.allocate(size * PAGE);
        for (int p = 1; p <= size; p++) {
            file.put(pages.get(p));
        }
        return file.array();
    }

    /**
     * Replays the frames of {@code segments} (oldest first) and returns page {@code pageNo} after the last commit,
     * empty when the database is smaller then.
     */
    static Optional<byte[]> pageAfter(List<SealedSegment> segments, int pageNo) {
        byte[] file = replay(segments);
        if (pageNo > file.length / PAGE) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOfRange(file, (pageNo - 1) * PAGE, pageNo * PAGE));
    }
}
