package dev.fathom.producer.agent;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;

/**
 * Persists each database's frame mapping ({@link ResumePoint}s) as {@code <state.dir>/<namespace>.state}, a
 * properties file replaced atomically (write a temp file, fsync it, rename it over the old one, fsync the directory),
 * so a crash leaves either the old or the new mapping, never a torn one. Thread-safe for distinct namespaces; one
 * tailer owns each namespace's file.
 */
public final class AgentStateStore {

    private static final String FORMAT = "1";
    private static final String POINT_PREFIX = "point.";

    private final Path dir;

    /** Uses {@code dir}, created when missing. */
    public AgentStateStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the agent state directory " + dir, e);
        }
    }

    /** Returns the file holding {@code namespace}'s state. */
    public Path file(String namespace) {
        return dir.resolve(namespace + ".state");
    }

    /**
     * Returns the persisted points of {@code namespace}, oldest first; empty when none were saved.
     *
     * @throws IllegalStateException naming the file and the entry when it cannot be parsed
     */
    public List<ResumePoint> load(String namespace) {
        Path file = file(namespace);
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read agent state " + file, e);
        }
        if (!FORMAT.equals(p.getProperty("format"))) {
            throw new IllegalStateException("Agent state " + file + " has format " + p.getProperty("format")
                    + ", expected " + FORMAT + "; move it away to re-snapshot the database");
        }
        List<ResumePoint> points = new ArrayList<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith(POINT_PREFIX)) {
                points.add(parse(file, key, p.getProperty(key)));
            }
        }
        points.sort(Comparator.comparingLong(ResumePoint::frameNo));
        return List.copyOf(points);
    }

    /** Replaces {@code namespace}'s state with {@code points} (database path recorded for operators). */
    public void save(String namespace, Path database, List<ResumePoint> points) {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("database", database.toAbsolutePath().toString());
        for (ResumePoint point : points) {
            p.setProperty(POINT_PREFIX + point.frameNo(), format(point.cursor()));
        }
        StringWriter text = new StringWriter();
        try {
            p.store(text, "Fathom agent state of namespace " + namespace + "; do not edit");
            writeAtomically(file(namespace), text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write agent state " + file(namespace), e);
        }
    }

    private void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true); // the rename itself must survive a power loss
        } catch (IOException e) {
            // Some platforms cannot open a directory for fsync; the rename is still atomic there.
        }
    }

    private static String format(WalCursor cursor) {
        WalPosition p = cursor.position();
        String position = p == null ? "none" : p.salt1() + "," + p.salt2() + "," + p.nextIndex() + ","
                + p.checksum1() + "," + p.checksum2();
        return (cursor.finished() ? "finished," : "following,") + position
                + (cursor.databaseStamp().isEmpty() ? "" : ",stamp=" + cursor.databaseStamp());
    }

    private static ResumePoint parse(Path file, String key, String entry) {
        String value = entry;
        try {
            long frameNo = Long.parseLong(key.substring(POINT_PREFIX.length()));
            String stamp = "";
            int stampAt = value.indexOf(",stamp=");
            if (stampAt >= 0) {
                stamp = value.substring(stampAt + ",stamp=".length());
                value = value.substring(0, stampAt);
            }
            String[] parts = value.split(",");
            boolean finished = switch (parts[0]) {
                case "finished" -> true;
                case "following" -> false;
                default -> throw new IllegalArgumentException("unknown cursor kind " + parts[0]);
            };
            WalPosition position = parts.length == 2 && parts[1].equals("none") ? null
                    : new WalPosition(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
                            Long.parseLong(parts[3]), Integer.parseInt(parts[4]), Integer.parseInt(parts[5]));
            return new ResumePoint(frameNo, new WalCursor(position, finished, stamp));
        } catch (RuntimeException e) {
            throw new IllegalStateException("Agent state " + file + " has an invalid entry " + key + "=" + entry
                    + " (" + e.getMessage() + "); move the file away to re-snapshot the database", e);
        }
    }
}
