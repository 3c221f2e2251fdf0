package dev.fathom.producer.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.format.CorruptSegmentException;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.TestSegments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {

    private static final long UNBOUNDED = Long.MAX_VALUE;

    @TempDir
    Path dir;

    private final Random random = new Random(3);
    private final List<SealedSegment> chain = TestSegments.chain(4, 1, 10, 1024, 20, 1L, random);

    private List<String> filesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void shouldRecoverEntriesInStoreOrderAndContinueTheSequence() throws IOException {
        try (Outbox outbox = Outbox.open(dir, UNBOUNDED)) {
            outbox.append("db-b", "default", chain.get(0), Duration.ZERO);
            outbox.append("db-a", "cold", chain.get(1), Duration.ZERO);
            OutboxEntry third = outbox.append("db-a", "cold", chain.get(2), Duration.ZERO);
            outbox.delete(third);
        }
        try (Outbox outbox = Outbox.open(dir, UNBOUNDED)) {
            List<OutboxEntry> recovered = outbox.recovered();
            assertEquals(List.of(1L, 2L), recovered.stream().map(OutboxEntry::sequence).toList());
            assertEquals(List.of("db-b/" + chain.get(0).id().format(), "db-a/" + chain.get(1).id().format()),
                    recovered.stream().map(OutboxEntry::describe).toList());
            assertEquals(chain.get(1), outbox.read(recovered.get(1)));
            assertEquals("cold", recovered.get(1).profile());
            long onDisk = Files.size(recovered.get(0).file()) + Files.size(recovered.get(1).file());
            assertEquals(onDisk, outbox.bytes());
            assertEquals(2, outbox.size());

            OutboxEntry next = outbox.append("db-a", "cold", chain.get(3), Duration.ZERO);
            assertEquals(3, next.sequence(), "the sequence continues after the highest recovered one");
            assertEquals("00000000000000000003.entry", next.file().getFileName().toString());
        }
    }

    @Test
    void shouldDeleteATornTempFileAndKeepTheEntries() throws IOException {
        try (Outbox outbox = Outbox.open(dir, UNBOUNDED)) {
            outbox.append("db", "default", chain.get(0), Duration.ZERO);
        }
        byte[] whole = Files.readAllBytes(dir.resolve("00000000000000000001.entry"));
        // A crash while entry 2 was written leaves a partial .tmp file; its store() never returned.
        Files.write(dir.resolve("00000000000000000002.entry.tmp"), Arrays.copyOf(whole, whole.length / 3));

        try (Outbox outbox = Outbox.open(dir, UNBOUNDED)) {
            assertEquals(1, outbox.recovered().size());
            assertEquals(List.of("00000000000000000001.entry", "outbox.lock"), filesIn(dir));
            assertEquals(2, outbox.append("db", "default", chain.get(1), Duration.ZERO).sequence());
        }
    }

    @Test
    void shouldRefuseToOpenWithATornEntryNamingTheFile() throws IOException {
        try (Outbox outbox = Outbox.open(dir, UNBOUNDED)) {
            outbox.append("db", "default", chain.get(0), Duration.ZERO);
        }
        Path entry = dir.resolve("00000000000000000001.entry");
        byte[] whole = Files.readAllBytes(entry);
        Files.write(entry, Arrays.copyOf(whole, whole.length - 100));

        CorruptSegmentException e = assertThrows(CorruptSegmentException.class, () -> Outbox.open(dir, UNBOUNDED));

        assertTrue(e.getMessage().contains(entry.toString()), e.getMessage());
        assertTrue(Files.exists(entry), "a corrupt entry is never deleted silently");
        Outbox.open(dir.resolve("elsewhere"), UNBOUNDED).close(); // the failed open released its lock
        try (Outbox again = Outbox.open(dir.resolve("elsewhere"), UNBOUNDED)) {
            assertEquals(0, again.size());
        }
    }

    @Test
    void shouldRefuseASecondOutboxOnTheSameDirectory() {
        try (Outbox first = Outbox.open(dir, UNBOUNDED)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Outbox.open(dir, UNBOUNDED));
            assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("in use"), e.getMessage());
        }
        Outbox.open(dir, UNBOUNDED).close(); // released by close()
    }

    @Test
    void shouldFailWhenFullNamingTheDirectorySizeAndLimit() throws IOException {
        long entrySize = OutboxEntryFormat.fileSize("db", "default", chain.get(0));
        long limit = entrySize * 2 + entrySize / 2;
        try (Outbox outbox = Outbox.open(dir, limit)) {
            OutboxEntry first = outbox.append("db", "default", chain.get(0), Duration.ZERO);
            outbox.append("db", "default", chain.get(1), Duration.ZERO);

            OutboxFullException e = assertThrows(OutboxFullException.class,
                    () -> outbox.append("db", "default", chain.get(2), Duration.ZERO));

            assertTrue(e.getMessage().contains(outbox.dir().toString()), e.getMessage());
            assertTrue(e.getMessage().contains("outbox.max.bytes=" + limit), e.getMessage());
            assertTrue(e.getMessage().contains(2 * entrySize + " bytes"), e.getMessage());
            assertEquals(2, filesIn(dir).stream().filter(n -> n.endsWith(".entry")).count(), "nothing written");
            assertEquals(2 * entrySize, outbox.bytes());

            outbox.delete(first);
            outbox.append("db", "default", chain.get(2), Duration.ZERO);
            assertEquals(2 * entrySize, outbox.bytes());
        }
    }

    @Test
    void shouldBlockUntilADeleteMakesRoom() throws Exception {
        long entrySize = OutboxEntryFormat.fileSize("db", "default", chain.get(0));
        try (Outbox outbox = Outbox.open(dir, entrySize)) {
            OutboxEntry first = outbox.append("db", "default", chain.get(0), Duration.ZERO);
            CompletableFuture<OutboxEntry> blocked = appendWaitingForSpace(outbox, chain.get(1));
            assertFalse(blocked.isDone());

            outbox.delete(first);

            assertEquals(2, blocked.get(10, TimeUnit.SECONDS).sequence());
            assertEquals(entrySize, outbox.bytes());
        }
    }

    @Test
    void shouldFailAWaitingAppendWhenClosed() throws Exception {
        Outbox outbox = Outbox.open(dir, 1);
        outbox.append("db", "default", chain.get(0), Duration.ZERO);
        CompletableFuture<OutboxEntry> blocked = appendWaitingForSpace(outbox, chain.get(1));

        outbox.close();

        ExecutionException e = assertThrows(ExecutionException.class, () -> blocked.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals(List.of("00000000000000000001.entry", "outbox.lock"), filesIn(dir));
    }

    @Test
    void shouldAcceptOneEntryLargerThanTheBoundWhenEmpty() {
        try (Outbox outbox = Outbox.open(dir, 1)) {
            outbox.append("db", "default", chain.get(0), Duration.ZERO);
            assertThrows(OutboxFullException.class, () -> outbox.append("db", "default", chain.get(1), Duration.ZERO));
        }
    }

    /** Starts an append of {@code segment} on another thread and returns once it waits for space. */
    private static CompletableFuture<OutboxEntry> appendWaitingForSpace(Outbox outbox, SealedSegment segment) {
        CompletableFuture<OutboxEntry> blocked = new CompletableFuture<>();
        Thread storer = new Thread(() -> {
            try {
                blocked.complete(outbox.append("db", "default", segment, Duration.ofMinutes(1)));
            } catch (RuntimeException e) {
                blocked.completeExceptionally(e);
            }
        });
        storer.start();
        Await.until(Duration.ofSeconds(10), () -> storer.getState() == Thread.State.TIMED_WAITING,
                "append() to wait for space");
        return blocked;
    }
}
