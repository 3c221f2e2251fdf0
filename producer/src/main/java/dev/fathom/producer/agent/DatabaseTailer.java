package dev.fathom.producer.agent;

import dev.fathom.producer.FathomStorage;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.schemas.format.SegmentId;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Ships one live SQLite database: a base snapshot on first contact, then every committed WAL frame, numbered from the
 * snapshot on, sealed into segments at commit boundaries and stored through {@link FathomStorage}. Persists where each
 * sealed segment ends in the WAL, so a restart resumes at the namespace's last stored frame without gaps or
 * duplicates; re-snapshots (with a WARN saying why) whenever continuity with the WAL cannot be proven.
 *
 * <p>Not thread-safe: {@link #poll} runs on one scheduler task at a time; {@link #close} after the last poll.
 */
final class DatabaseTailer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DatabaseTailer.class);
    private static final Duration TRUNCATE_WAIT = Duration.ofMillis(100);

    private final String namespace;
    private final Path database;
    private final TailerSettings settings;
    private final FathomStorage storage;
    private final Clock clock;
    private final ResumePoints points;
    private final Deque<Long> forcedEnds = new ArrayDeque<>();
    private DatabaseSession session;
    private WalCursor cursor;
    private long generationEnd = -1;
    private SegmentCollector collector;
    private long storedUpTo;
    private boolean snapshotNeeded;
    private Instant nextCheckpoint = Instant.MIN;
    private long snapshots;

    DatabaseTailer(String namespace, Path database, TailerSettings settings, FathomStorage storage, Clock clock) {
        this.namespace = namespace;
        this.database = database;
        this.settings = settings;
        this.storage = storage;
        this.clock = clock;
        this.points = new ResumePoints(namespace, database, settings.stateStore());
    }

    /** Returns the namespace this tailer ships. */
    String namespace() {
        return namespace;
    }

    /** Returns how many base snapshots this tailer shipped (first contact and re-snapshots). */
    long snapshots() {
        return snapshots;
    }

    /** Returns true once the database is open and shipped (base snapshot taken or position resumed); poll thread. */
    boolean isShipping() {
        return session != null && !snapshotNeeded;
    }

    /** One step: open or resume if needed, read new committed frames, seal what is due, checkpoint when durable. */
    void poll() throws SQLException, IOException {
        // Every line logged during the step names the database (MDC keys as the worker's LogKeys).
        try (MDC.MDCCloseable ns = MDC.putCloseable("namespace", namespace);
             MDC.MDCCloseable db = MDC.putCloseable("database", database.toString())) {
            step();
        }
    }

    private void step() throws SQLException, IOException {
        if (session == null) {
            open();
        }
        if (snapshotNeeded) {
            snapshot();
            if (snapshotNeeded) {
                return;
            }
        }
        readNewFrames();
        if (snapshotNeeded) {
            return;
        }
        if (collector != null && forcedEnds.isEmpty() && collector.isDue(clock.instant())) {
            seal();
        }
        checkpointIfDurable();
    }

    private void open() throws SQLException, IOException {
        session = DatabaseSession.open(database, settings.busyTimeout());
        session.beginRead();
        List<ResumePoint> saved = points.load();
        // Frames up to the last stored one (durable, or in the outbox) are never stored again; segments end on
        // commits, so this is always a boundary the state recorded.
        long resumeAt = Math.max(storage.lastStoredFrameNo(namespace), storedUpTo);
        Optional<ResumePoint> at = saved.stream().filter(p -> p.frameNo() == resumeAt).findFirst();
        storedUpTo = resumeAt;
        // Frames collected before a reopen were not stored: they are read again from the resume point.
        collector = null;
        forcedEnds.clear();
        generationEnd = -1;
        if (at.isPresent() && ResumePoints.resumable(at.get().cursor(), session)) {
            cursor = at.get().cursor();
            saved.stream().filter(p -> p.frameNo() > resumeAt).forEach(p -> forcedEnds.add(p.frameNo()));
            log.info("Resuming database {} (namespace {}) after frame {} at WAL {}", database, namespace, resumeAt,
                    cursor);
            return;
        }
        if (!saved.isEmpty()) {
            settings.metrics().resnapshot();
            log.warn("Re-snapshotting database {} (namespace {}): its WAL {}, so continuity after stored frame {}"
                    + " cannot be proven", database, namespace, at.isPresent() ? "changed while the agent was not"
                    + " running" : "position after that frame is not in " + points.file(),
                    resumeAt);
        }
        points.dropAfter(storedUpTo);
        snapshotNeeded = true;
    }

    private void readNewFrames() throws IOException, SQLException {
        while (true) {
            if (cursor.finished() && !enterNextGeneration()) {
                return;
            }
            WalPosition from = cursor.position();
            int maxFrames = forcedEnds.isEmpty() ? settings.framesPerRead(pageSizeGuess()) : 1;
            WalBatch batch = WalReader.read(session.wal(), from, maxFrames);
            if (batch.saltChanged()) {
                if (generationEnd != from.nextIndex()) {
                    resnapshot("its WAL was restarted (salts changed) and the agent cannot prove it had read every"
                            + " frame of the previous generation");
                    return;
                }
                log.info("WAL of database {} (namespace {}) was restarted after frame index {}, which the agent had"
                        + " read; continuing with the new generation", database, namespace, from.nextIndex());
                finishGeneration(from);
                continue;
            }
            if (batch.isEmpty()) {
                return;
            }
            generationEnd = -1;
            settings.metrics().walFramesRead(batch.frames().size());
            add(batch);
            if (snapshotNeeded) {
                return;
            }
        }
    }

    /** Moves a finished cursor to the next generation once its header appeared; false when there is none yet. */
    private boolean enterNextGeneration() throws IOException {
        // Held read transaction since the cursor finished: the first new header is the next generation.
        Optional<WalHeader> header = WalReader.readHeader(session.wal());
        if (header.isEmpty() || cursor.isStale(header.get())) {
            return false;
        }
        cursor = WalCursor.following(WalReader.start(header.get()));
        generationEnd = -1;
        return true;
    }

    /**
     * Records that the generation of {@code last} ended there (proven) and that reading goes on from the next one,
     * also in the persisted point of the last stored frame (nothing was read after it), so a restart resumes there.
     */
    private void finishGeneration(WalPosition last) throws IOException {
        cursor = WalCursor.afterGeneration(last, session.databaseStamp());
        generationEnd = -1;
        points.record(new ResumePoint(storedUpTo, cursor));
    }

    private int pageSizeGuess() {
        return collector == null ? 4096 : collector.pageSize();
    }

    private void add(WalBatch batch) {
        int pageSize = batch.frames().get(0).page().length;
        if (collector == null) {
            collector = new SegmentCollector(pageSize, storedUpTo + 1, settings.sealPolicy());
        }
        collector.add(batch.frames(), clock.instant());
        cursor = WalCursor.following(batch.next());
        long end = collector.nextFrameNo() - 1;
        if (!forcedEnds.isEmpty() && end >= forcedEnds.peek()) {
            if (end != forcedEnds.poll()) {
                resnapshot("the frames read again after the restart do not end where a segment stored before it"
                        + " ended (frame " + end + ")");
                return;
            }
            seal();
        } else if (forcedEnds.isEmpty() && collector.isDue(clock.instant())) {
            seal();
        }
    }

    private void seal() {
        if (collector == null || collector.isEmpty()) {
            return;
        }
        store(collector.seal(clock.instant()), cursor);
    }

    /**
     * Records where the segment ends in the WAL (before storing it: the mapping must never lag), then stores it. A
     * null {@code after} (a base snapshot's segment before its last) records nothing: no WAL position follows it, so a
     * restart that finds it the last stored segment re-snapshots.
     */
    private void store(SealedSegment segment, WalCursor after) {
        settings.metrics().sealed();
        if (after != null) {
            points.recordAndPrune(new ResumePoint(segment.endFrameNo(), after), storage.durableFrameNo(namespace));
        }
        SegmentId id = segment.id(); // the callback lives until durable: it must not hold the segment's pages
        storage.store(namespace, segment, settings.profile(), (durable, failure) -> {
            settings.metrics().completed(failure, storage.publishStatus().failedAttempts());
            if (failure != null) {
                log.error("Segment {} of database {} (namespace {}) was not stored: {}", id, database,
                        namespace, failure.toString());
            }
        });
        storedUpTo = segment.endFrameNo();
        settings.metrics().stored(segment);
        log.debug("Stored segment {} of namespace {}", segment.id(), namespace);
    }

    private void resnapshot(String why) {
        log.warn("Re-snapshotting database {} (namespace {}): {}", database, namespace, why);
        settings.metrics().resnapshot();
        collector = null;
        forcedEnds.clear();
        // Points beyond the last stored frame were segments to reproduce after a restart; a snapshot replaces them.
        points.dropAfter(storedUpTo);
        snapshotNeeded = true;
    }

    private void snapshot() throws SQLException, IOException {
        Optional<Checkpointer.Base> base = Checkpointer.prepareSnapshot(session);
        if (base.isEmpty()) {
            log.info("Base snapshot of database {} (namespace {}) postponed: other connections kept the WAL busy",
                    database, namespace);
            return;
        }
        cursor = base.get().cursor();
        generationEnd = base.get().generationEnd();
        Optional<BaseSnapshot.Shape> shape = BaseSnapshot.shape(database);
        snapshotNeeded = false;
        forcedEnds.clear();
        if (shape.isEmpty() || shape.get().pageCount() == 0) {
            collector = null;
            points.record(new ResumePoint(storedUpTo, cursor));
            log.info("Database {} (namespace {}) is empty; shipping its WAL from the first transaction", database,
                    namespace);
            return;
        }
        BaseSnapshot.Shipped shipped = BaseSnapshot.ship(database, shape.get(), storedUpTo + 1,
                settings.sealPolicy().maxBytes(), clock.instant(), (part, last) -> store(part, last ? cursor : null));
        collector = new SegmentCollector(shape.get().pageSize(), shipped.endFrameNo() + 1, settings.sealPolicy());
        snapshots++;
        settings.metrics().snapshot();
        log.info("Shipped a base snapshot of database {} (namespace {}): {} pages of {} bytes as frames {}-{} in {}"
                + " segments", database, namespace, shape.get().pageCount(), shape.get().pageSize(),
                shipped.startFrameNo(), shipped.endFrameNo(), shipped.segments());
    }

    private void checkpointIfDurable() throws SQLException, IOException {
        Instant now = clock.instant();
        if (now.isBefore(nextCheckpoint) || cursor.finished() || (collector != null && !collector.isEmpty())) {
            return;
        }
        nextCheckpoint = now.plus(settings.checkpointInterval());
        // Only frames that are durable may leave the WAL: it is the buffer while Kafka or S3 is down.
        boolean durable = storage.durableFrameNo(namespace) >= storedUpTo;
        WalPosition position = cursor.position();
        Checkpointer.Outcome outcome = Checkpointer.checkpoint(session, position, durable);
        if (durable && outcome.quiet()) { // only then did it run a PASSIVE checkpoint
            settings.metrics().checkpoint(AgentMetrics.CheckpointMode.PASSIVE, outcome.complete());
        }
        generationEnd = outcome.provesGenerationEnd() ? position.nextIndex() : -1;
        if (outcome.provesGenerationEnd() && outcome.complete()
                && truncated(session.truncateBehindReadTransaction(TRUNCATE_WAIT))) {
            // The truncation succeeded only because no frame followed our snapshot: the generation is finished.
            finishGeneration(position);
            log.debug("Checkpointed and truncated the WAL of namespace {} after frame {}", namespace, storedUpTo);
        }
    }

    private boolean truncated(boolean truncated) {
        settings.metrics().checkpoint(AgentMetrics.CheckpointMode.TRUNCATE, truncated);
        return truncated;
    }

    /** Seals what was collected (the storage publishes it before it shuts down). */
    void flush() {
        if (session != null && forcedEnds.isEmpty()) {
            seal();
        }
    }

    @Override
    public void close() throws SQLException {
        if (session != null) {
            session.close();
            session = null;
        }
    }
}
