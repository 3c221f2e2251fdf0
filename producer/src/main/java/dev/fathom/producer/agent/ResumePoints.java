package dev.fathom.producer.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.List;
import java.util.TreeMap;

/**
 * Where each stored segment of one database ends in its WAL (frame number → {@link ResumePoint}), kept in memory and
 * persisted through {@link AgentStateStore} on every change, so a restart resumes after the namespace's last stored
 * frame. Points at or below the durable frame are pruned except the newest of them, which a restart may resume from.
 * Not thread-safe; owned by its {@link DatabaseTailer}.
 */
final class ResumePoints {

    private final String namespace;
    private final Path database;
    private final AgentStateStore store;
    private final TreeMap<Long, ResumePoint> points = new TreeMap<>();

    ResumePoints(String namespace, Path database, AgentStateStore store) {
        this.namespace = namespace;
        this.database = database;
        this.store = store;
    }

    /**
     * Whether reading can go on from {@code saved} in the WAL as it is now: the same generation, or a finished one
     * that provably had no successor.
     */
    static boolean resumable(WalCursor saved, DatabaseSession session) throws IOException {
        Optional<WalHeader> header = WalReader.readHeader(session.wal());
        if (saved.finished()) {
            // A stale header proves no later generation wrote a frame. Otherwise only an untouched database file
            // proves that no generation came and went (it would have been checkpointed into the file).
            return header.isPresent() && saved.isStale(header.get())
                    || (!saved.databaseStamp().isEmpty() && saved.databaseStamp().equals(session.databaseStamp()));
        }
        return header.isPresent() && saved.position().sameGeneration(header.get());
    }

    /** Replaces the points in memory with the persisted ones and returns them, oldest first. */
    List<ResumePoint> load() {
        List<ResumePoint> saved = store.load(namespace);
        points.clear();
        saved.forEach(p -> points.put(p.frameNo(), p));
        return saved;
    }

    /** Records and persists {@code point}. */
    void record(ResumePoint point) {
        points.put(point.frameNo(), point);
        save();
    }

    /** Records {@code point}, drops the points older than the newest one at or below {@code durableFrameNo}, saves. */
    void recordAndPrune(ResumePoint point, long durableFrameNo) {
        points.put(point.frameNo(), point);
        Long durablePoint = points.floorKey(durableFrameNo);
        if (durablePoint != null) {
            points.headMap(durablePoint, false).clear();
        }
        save();
    }

    /** Forgets (in memory) the points after {@code frameNo}: segments a snapshot replaces. */
    void dropAfter(long frameNo) {
        points.tailMap(frameNo, false).clear();
    }

    /** The persisted state file, for messages. */
    Path file() {
        return store.file(namespace);
    }

    private void save() {
        store.save(namespace, database, List.copyOf(points.values()));
    }
}
