package dev.fathom.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FAULT INJECTION FOR TESTS ONLY ({@code fault.block.before.commit.marker.file}): before the first transaction that
 * would make an uploaded segment durable, creates the marker file and blocks the poll thread forever, so a test can
 * kill -9 the worker between upload and commit. Inert when no marker is configured. Not thread-safe; owned by the
 * poll thread.
 */
final class CommitFault {

    private static final Logger log = LoggerFactory.getLogger(CommitFault.class);

    private final Optional<Path> marker;
    private boolean fired;

    CommitFault(Optional<Path> marker) {
        this.marker = marker;
    }

    /** Blocks forever (until interrupted) when armed and {@code batch} would make a segment durable. */
    void beforeCommit(CommitBatch batch) throws InterruptedException {
        if (marker.isEmpty() || fired || !batch.hasDurable()) {
            return;
        }
        fired = true;
        try {
            Files.writeString(marker.get(), "blocked before commit\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create fault-injection marker " + marker.get(), e);
        }
        log.warn("FAULT INJECTION: uploaded {} segments and now blocking before their commit; marker {} created",
                batch.durable().size(), marker.get());
        new CountDownLatch(1).await();
    }
}
