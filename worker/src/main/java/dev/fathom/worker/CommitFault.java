package dev.fathom.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FAULT INJECTION FOR TESTS ONLY ({@code fault.block.before.commit.marker.file}): before the first transaction that
 * would make an uploaded segment durable, creates the marker file and blocks the poll thread until the test deletes
 * the marker, so a test can kill -9 the worker between upload and commit, or release it after its partitions moved on
 * to see that the zombie's commit is fenced. Inert when no marker is configured. Not thread-safe; owned by the poll
 * thread.
 */
final class CommitFault {

    private static final Logger log = LoggerFactory.getLogger(CommitFault.class);

    private static final long RELEASE_CHECK_MS = 50;

    private final Optional<Path> marker;
    private boolean fired;

    CommitFault(Optional<Path> marker) {
        this.marker = marker;
    }

    /** Blocks until the marker is deleted (or interrupted) when armed and {@code batch} would make a segment durable. */
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
        while (Files.exists(marker.get())) {
            Thread.sleep(RELEASE_CHECK_MS); // fault injection only: no production path waits here
        }
        log.warn("FAULT INJECTION: marker {} deleted; committing the {} segments now", marker.get(),
                batch.durable().size());
    }
}
