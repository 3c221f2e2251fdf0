package dev.fathom.producer.agent;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The two moments the agent releases its read transaction: a checkpoint of a generation it has read to the end, and
 * the base snapshot. Both bracket the release with {@code PRAGMA data_version}, so they know whether any other
 * connection committed meanwhile; only when none did can the agent prove where the WAL generation ends (a restart by
 * SQLite then loses nothing the agent has not read). Stateless; thread-safe (the session is not).
 */
final class Checkpointer {

    /** WAL frames read per step while finding where a checkpointed generation ends (1 MiB of 4 KiB pages). */
    private static final int SCAN_BATCH_FRAMES = 256;

    private Checkpointer() {
    }

    /**
     * What a checkpoint found.
     *
     * @param quiet no committed frame after the cursor when the read transaction was released
     * @param undisturbed no other connection committed between the release and the new read transaction
     * @param complete the PASSIVE checkpoint copied every WAL frame into the database file
     */
    record Outcome(boolean quiet, boolean undisturbed, boolean complete) {

        /**
         * Returns true when the WAL generation is proven to end at the cursor should SQLite restart it while the read
         * transaction is held: the new transaction's snapshot is exactly the cursor, and while it is held no
         * checkpoint can copy a later frame into the database file, which a restart would require.
         */
        boolean provesGenerationEnd() {
            return quiet && undisturbed;
        }
    }

    /**
     * Releases the read transaction, checks that no frame follows {@code position}, runs a PASSIVE checkpoint when
     * {@code checkpoint} is true (everything read is durable), then takes the read transaction again.
     */
    static Outcome checkpoint(DatabaseSession session, WalPosition position, boolean checkpoint)
            throws SQLException, IOException {
        session.endRead();
        boolean complete = false;
        long before;
        boolean quiet;
        try {
            before = session.dataVersion();
            WalBatch probe = WalReader.read(session.wal(), position, 1);
            quiet = !probe.saltChanged() && probe.isEmpty();
            if (quiet && checkpoint) {
                complete = session.checkpoint("PASSIVE").complete();
            }
        } finally {
            session.beginRead();
        }
        return new Outcome(quiet, session.dataVersion() == before, complete);
    }

    /**
     * A consistent base: the WAL position the snapshot corresponds to, taken with the read transaction held again.
     *
     * @param cursor where WAL reading continues after the snapshot
     * @param generationEnd WAL frame count at which the followed generation ends if SQLite restarts it while the read
     *     transaction is held; -1 when not following a generation
     */
    record Base(WalCursor cursor, long generationEnd) {
    }

    /**
     * Checkpoints every WAL frame into the database file and takes the read transaction again with no commit by
     * anyone in between, so the main file holds the whole database and stays unchanged while the transaction is held
     * (a checkpoint needs the lock the transaction holds to write it). Returns empty when other readers or writers
     * prevented that; the caller retries later.
     */
    static Optional<Base> prepareSnapshot(DatabaseSession session) throws SQLException, IOException {
        session.endRead();
        long before;
        Optional<WalHeader> header;
        DatabaseSession.Checkpoint passive;
        boolean truncated = false;
        try {
            before = session.dataVersion();
            header = WalReader.readHeader(session.wal());
            passive = session.checkpoint("PASSIVE");
            if (passive.complete()) {
                truncated = !session.checkpoint("TRUNCATE").busy();
            }
        } finally {
            session.beginRead();
        }
        if (!passive.complete() || session.dataVersion() != before) {
            return Optional.empty();
        }
        if (truncated) {
            return Optional.of(new Base(WalCursor.afterGeneration(header.map(WalReader::start).orElse(null),
                    session.databaseStamp()), -1));
        }
        if (passive.logFrames() == 0 || header.isEmpty()) {
            return Optional.empty(); // a header without frames: wait for TRUNCATE to succeed
        }
        // Only where the checkpointed frames end is needed, not their pages: walk them in bounded batches, so a large
        // WAL at first contact is never held in memory (one transaction larger than a batch is read whole).
        WalPosition end = WalReader.start(header.get());
        while (end.nextIndex() < passive.logFrames()) {
            int frames = (int) Math.min(SCAN_BATCH_FRAMES, passive.logFrames() - end.nextIndex());
            WalBatch batch = WalReader.read(session.wal(), end, frames);
            if (batch.saltChanged() || batch.isEmpty()) {
                return Optional.empty();
            }
            end = batch.next();
        }
        if (end.nextIndex() != passive.logFrames()) {
            return Optional.empty();
        }
        return Optional.of(new Base(WalCursor.following(end), passive.logFrames()));
    }
}
