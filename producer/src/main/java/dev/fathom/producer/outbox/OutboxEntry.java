package dev.fathom.producer.outbox;

import dev.fathom.schemas.format.SegmentFrames;
import dev.fathom.schemas.format.SegmentId;
import java.nio.file.Path;

/**
 * What the outbox knows about one entry file without holding its frames in memory: where it is, its place in store
 * order, and the segment's namespace, profile, id and page size. Immutable value; thread-safe.
 *
 * @param file the entry file, {@code <outbox.dir>/<sequence:020>.entry}
 * @param sequence the store order across the outbox (from 1, +1 per stored segment, continued after a restart)
 * @param namespace the database the segment belongs to
 * @param profile the storage profile name the segment was stored with
 * @param id the segment's frame range and sealed_at
 * @param pageSize the segment's page size in bytes
 * @param fileBytes the size of the entry file in bytes (what counts against {@code outbox.max.bytes})
 */
public record OutboxEntry(Path file, long sequence, String namespace, String profile, SegmentId id, int pageSize,
        long fileBytes) {

    /** Returns the encoded frame bytes of the segment, the unit of the publisher's transaction bound. */
    public long frameBytes() {
        return (id.endFrameNo() - id.startFrameNo() + 1) * SegmentFrames.recordSize(pageSize);
    }

    /** Returns {@code <namespace>/<segment id>} for logs and messages. */
    public String describe() {
        return namespace + "/" + id.format();
    }
}
