package dev.fathom.producer.outbox;

import dev.fathom.schemas.format.CorruptSegmentException;
import dev.fathom.schemas.format.EncodedSegment;
import dev.fathom.schemas.format.SealedSegment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox directory: one {@code <sequence:020>.entry} file per stored segment ({@link OutboxEntryFormat}),
 * written to a {@code .tmp} file, fsynced, renamed, and the directory fsynced before {@link #append} returns, so an
 * entry either exists whole after a crash or never existed. {@link #open} locks the directory (one live outbox per
 * directory), deletes torn temp files, verifies every entry and lists them in store order for replay. The total size
 * of entries is bounded by {@code maxBytes}; one entry larger than the bound is accepted when the outbox is empty.
 * Thread-safe: any thread may append, read and delete.
 */
public final class Outbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    static final String ENTRY_SUFFIX = ".entry";
    static final String TEMP_SUFFIX = ".entry.tmp";
    static final String LOCK_FILE = "outbox.lock";
    private static final Pattern ENTRY_NAME = Pattern.compile("([0-9]{20})\\.entry");

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock dirLock;
    private final List<OutboxEntry> recovered;
    private final AtomicLong nextSequence;
    private final OutboxSpace space;

    private Outbox(Path dir, long maxBytes, FileChannel lockChannel, FileLock dirLock, List<OutboxEntry> recovered) {
        this.dir = dir;
        this.space = new OutboxSpace(dir, maxBytes);
        this.lockChannel = lockChannel;
        this.dirLock = dirLock;
        this.recovered = List.copyOf(recovered);
        long lastSequence = recovered.isEmpty() ? 0 : recovered.get(recovered.size() - 1).sequence();
        this.nextSequence = new AtomicLong(lastSequence + 1);
        recovered.forEach(entry -> space.add(entry.fileBytes()));
    }

    /**
     * Creates (or opens) the outbox directory, locks it, deletes temp files left by a crash mid-write, and verifies
     * every entry.
     *
     * @param maxBytes the bound on the total size of entry files
     * @throws CorruptSegmentException naming the file when an entry is corrupt or torn
     * @throws IllegalStateException when another outbox (in this or another process) holds the directory
     * @throws UncheckedIOException when the directory cannot be created, listed or read
     */
    public static Outbox open(Path dir, long maxBytes) {
        Path absolute = dir.toAbsolutePath().normalize();
        FileChannel lockChannel = null;
        try {
            Files.createDirectories(absolute);
            lockChannel = FileChannel.open(absolute.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock dirLock = lock(lockChannel, absolute);
            List<OutboxEntry> entries = scan(absolute);
            return new Outbox(absolute, maxBytes, lockChannel, dirLock, entries);
        } catch (IOException e) {
            closeQuietly(lockChannel);
            throw new UncheckedIOException("Could not open the outbox directory " + absolute + " (outbox.dir): " + e,
                    e);
        } catch (RuntimeException e) {
            closeQuietly(lockChannel);
            throw e;
        }
    }

    private static FileLock lock(FileChannel channel, Path dir) throws IOException {
        FileLock dirLock;
        try {
            dirLock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            dirLock = null;
        }
        if (dirLock == null) {
            throw new IllegalStateException("The outbox directory " + dir + " (outbox.dir) is in use by another"
                    + " FathomStorage (it holds " + dir.resolve(LOCK_FILE) + "); every node needs its own outbox.dir");
        }
        return dirLock;
    }

    private static List<OutboxEntry> scan(Path dir) throws IOException {
        List<OutboxEntry> entries = new ArrayList<>();
        boolean deletedTemp = false;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                Matcher entryName = ENTRY_NAME.matcher(name);
                if (name.endsWith(TEMP_SUFFIX)) {
                    log.warn("Deleting torn outbox temp file {} ({} bytes) left by a crash while it was written;"
                            + " its store() never returned, so no accepted segment is lost", file, Files.size(file));
                    Files.delete(file);
                    deletedTemp = true;
                } else if (entryName.matches()) {
                    OutboxEntry entry = OutboxEntryFormat.scan(file);
                    if (entry.sequence() != Long.parseLong(entryName.group(1))) {
                        throw OutboxEntryFormat.corrupt(file, 40, "sequence " + entry.sequence()
                                + " does not match the file name");
                    }
                    entries.add(entry);
                } else if (!name.equals(LOCK_FILE)) {
                    log.warn("Ignoring {} in the outbox directory {}: not an outbox entry", name, dir);
                }
            }
        }
        if (deletedTemp) {
            syncDirectory(dir);
        }
        entries.sort(Comparator.comparingLong(OutboxEntry::sequence));
        return entries;
    }

    /** Returns the entries found by {@link #open}, in store order (sequence). */
    public List<OutboxEntry> recovered() {
        return recovered;
    }

    /**
     * Writes the segment as a new entry and makes it durable on disk (file and directory fsynced) before returning.
     *
     * @param wait how long to wait for space under {@code outbox.max.bytes}; zero fails at once
     * @throws OutboxFullException when the entry does not fit within the wait (nothing was written)
     * @throws IllegalStateException when the outbox is closed (nothing was written)
     * @throws UncheckedIOException naming the file when writing failed (nothing was kept)
     */
    public OutboxEntry append(String namespace, String profile, SealedSegment segment, Duration wait) {
        long size = OutboxEntryFormat.fileSize(namespace, profile, segment);
        space.reserve(size, wait, namespace + "/" + segment.id().format());
        long sequence = nextSequence.getAndIncrement();
        Path file = dir.resolve(String.format("%020d%s", sequence, ENTRY_SUFFIX));
        Path temp = dir.resolve(String.format("%020d%s", sequence, TEMP_SUFFIX));
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutboxEntryFormat.write(out, sequence, namespace, profile, segment);
                out.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(dir);
        } catch (IOException | RuntimeException e) {
            space.release(size);
            deleteQuietly(temp);
            deleteQuietly(file);
            throw new UncheckedIOException("Could not write outbox entry " + file + " for segment " + namespace + "/"
                    + segment.id().format() + ": " + e, e instanceof IOException io ? io : new IOException(e));
        }
        return new OutboxEntry(file, sequence, namespace, profile, segment.id(), segment.pageSize(), size);
    }

    /**
     * Reads an entry back, verifying its checksum.
     *
     * @throws CorruptSegmentException naming the file when it no longer verifies
     * @throws UncheckedIOException naming the file when it cannot be read
     */
    public SealedSegment read(OutboxEntry entry) {
        try {
            return OutboxEntryFormat.read(entry.file()).segment();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read outbox entry " + entry.file() + " (segment "
                    + entry.describe() + "): " + e, e);
        }
    }

    /**
     * Reads an entry back for publishing: verified (checksum, header, segment rules on the record headers) but not
     * decoded, so its frame records go to the chunker exactly as they were stored.
     *
     * @throws CorruptSegmentException naming the file when it no longer verifies
     * @throws UncheckedIOException naming the file when it cannot be read
     */
    public EncodedSegment readEncoded(OutboxEntry entry) {
        try {
            return OutboxEntryFormat.readEncoded(entry.file());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read outbox entry " + entry.file() + " (segment "
                    + entry.describe() + "): " + e, e);
        }
    }

    /**
     * Deletes an entry whose segment is durable and frees its space. The directory is not fsynced: an entry that
     * reappears after a crash is durable already and is skipped (or acknowledged by the workers) at the next start.
     */
    public void delete(OutboxEntry entry) {
        try {
            Files.deleteIfExists(entry.file());
        } catch (IOException e) {
            log.warn("Could not delete outbox entry {} of durable segment {}; the next start skips it: {}",
                    entry.file(), entry.describe(), e.toString());
        } finally {
            space.release(entry.fileBytes());
        }
    }

    /** Returns the total size of the entries (and of entries being written), in bytes. */
    public long bytes() {
        return space.bytes();
    }

    /** Returns how many entries there are (including ones being written). */
    public int size() {
        return space.entries();
    }

    /** Returns the outbox directory (absolute). */
    public Path dir() {
        return dir;
    }

    /** Returns the bound on the total size of entries, in bytes. */
    public long maxBytes() {
        return space.maxBytes();
    }

    /**
     * Releases the directory lock; the entries stay on disk for the next {@link #open}. Appends (also waiting ones)
     * fail from now on. Idempotent.
     */
    @Override
    public void close() {
        space.close();
        try {
            if (dirLock.isValid()) {
                dirLock.release();
            }
        } catch (IOException e) {
            log.warn("Could not release the lock of the outbox directory {}: {}", dir, e.toString());
        }
        closeQuietly(lockChannel);
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", file, e.toString());
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("Closing {} failed", channel, e);
        }
    }
}
