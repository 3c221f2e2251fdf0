package dev.fathom.worker;

import dev.fathom.producer.agent.WalBatch;
import dev.fathom.producer.agent.WalFrame;
import dev.fathom.producer.agent.WalHeader;
import dev.fathom.producer.agent.WalPosition;
import dev.fathom.producer.agent.WalReader;
import dev.fathom.schemas.format.Frame;
import dev.fathom.schemas.format.SealedSegment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Seals the frames a live SQLite database committed to its WAL since the last call into a segment, with the
 * production {@link WalReader}; Fathom frame numbers start at 1 and continue across calls and WAL generations. The
 * WAL may be checkpointed and restarted only after a call read everything committed, and the caller says so with
 * {@link #checkpointed()} (as the agent does once frames are durable); any other restart fails the call, since
 * frames would be lost. Not thread-safe.
 */
final class WalSegmenter {

    private final Path wal;
    private WalPosition position;
    private long nextFrameNo = 1;
    private boolean restartExpected;

    WalSegmenter(Path wal) {
        this.wal = wal;
    }

    /** Records that the WAL was checkpointed after the last call: the next frames start a new WAL generation. */
    void checkpointed() {
        restartExpected = true;
    }

    /** Returns the newly committed frames as one segment sealed at {@code sealedAtMs}, or empty when none. */
    Optional<SealedSegment> next(long sealedAtMs) throws IOException {
        Optional<WalHeader> header = WalReader.readHeader(wal);
        if (header.isEmpty()) {
            return Optional.empty();
        }
        WalBatch batch = WalReader.read(wal, position == null ? WalReader.start(header.get()) : position,
                Integer.MAX_VALUE);
        if (batch.saltChanged() && !restartExpected) {
            throw new IllegalStateException(wal + " was restarted: frames after " + position + " are lost");
        }
        restartExpected &= batch.isEmpty();
        if (batch.isEmpty()) {
            return Optional.empty();
        }
        position = batch.next();
        List<Frame> frames = new ArrayList<>(batch.frames().size());
        for (WalFrame frame : batch.frames()) {
            frames.add(new Frame(frame.pageNo(), frame.commitSize(), nextFrameNo++, frame.page()));
        }
        return Optional.of(SealedSegment.of(header.get().pageSize(), sealedAtMs, frames));
    }
}
