package dev.fathom.producer.agent;

import java.util.Optional;

/**
 * Where the agent is in a database's WAL: following a generation at a {@link WalPosition}, or just past a generation
 * that is proven finished (the agent read it to its end and SQLite restarted or truncated the WAL while the agent held
 * its read transaction), so that the next WAL generation is read from its first frame. Immutable; thread-safe.
 *
 * @param position the position in the current generation; when {@code finished}, the finished generation's last
 *     position, or null when no generation was known (no WAL header existed when it was finished)
 * @param finished true when every frame of {@code position}'s generation was read and the next one starts at frame 0
 * @param databaseStamp for a finished generation, the main database file's size and modification time when it was
 *     finished (see {@link DatabaseSession#databaseStamp()}), empty when unknown: a restarted agent may only take a
 *     new WAL generation for the next one if the database file was not written since (any generation in between
 *     would have been checkpointed into it)
 */
public record WalCursor(WalPosition position, boolean finished, String databaseStamp) {

    public WalCursor {
        if (position == null && !finished) {
            throw new IllegalArgumentException("a cursor following a generation needs its position");
        }
        databaseStamp = databaseStamp == null ? "" : databaseStamp;
    }

    /** Returns a cursor following a generation at {@code position}. */
    public static WalCursor following(WalPosition position) {
        return new WalCursor(position, false, "");
    }

    /** Returns a cursor past the generation of {@code last} (null: unknown), expecting the next one from frame 0. */
    public static WalCursor afterGeneration(WalPosition last, String databaseStamp) {
        return new WalCursor(last, true, databaseStamp);
    }

    /**
     * Returns true when {@code header} is still the finished generation's (no frame of the next one written yet).
     * While the agent holds its read transaction, any other header is the next generation: SQLite cannot restart the
     * WAL again before a checkpoint copies frames into the database file, which the transaction prevents.
     */
    public boolean isStale(WalHeader header) {
        return finished && position != null && position.sameGeneration(header);
    }

    /** Returns the position when following a generation. */
    public Optional<WalPosition> current() {
        return finished ? Optional.empty() : Optional.of(position);
    }
}
