package dev.fathom.faults;

import dev.fathom.producer.restore.DatabaseRestorer;
import dev.fathom.producer.restore.RestoreTarget;
import dev.fathom.schemas.format.ObjectKeys;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.schemas.format.SegmentId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Checks the bucket after a run, from the bucket alone (invariant 6): every stored segment has exactly one data and
 * one index object, no frame range was uploaded under two keys, and every namespace restores to the bytes the load
 * wrote. Each check returns its problems as sentences (empty = passed). Stateless apart from its inputs.
 */
final class StoredStateCheck {

    private final S3Client s3;
    private final String bucket;
    private final List<String> keys;

    StoredStateCheck(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
        this.keys = s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(o -> o.key()).toList();
    }

    int objectCount() {
        return keys.size();
    }

    /** Objects per (namespace, first frame, kind): more than one means a segment lives under two keys. */
    List<String> duplicateKeys() {
        Map<String, List<String>> byRange = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (String key : keys) {
            Optional<SegmentId> id = ObjectKeys.parseSegmentKey(key);
            if (id.isEmpty()) {
                problems.add("unexpected object " + key);
                continue;
            }
            String range = key.substring(0, key.indexOf('/')) + "@" + id.get().startFrameNo()
                    + key.substring(key.lastIndexOf('.'));
            byRange.computeIfAbsent(range, r -> new ArrayList<>()).add(key);
        }
        byRange.forEach((range, list) -> {
            if (list.size() > 1) {
                problems.add("frame range " + range + " is stored under " + list.size() + " keys: " + list);
            }
        });
        return problems;
    }

    /** Segments the load stored whose data or index object is missing (and objects nobody stored). */
    List<String> missingOrExtraObjects(List<ExpectedDatabase> databases) {
        Set<String> expected = new HashSet<>();
        for (ExpectedDatabase db : databases) {
            for (SealedSegment segment : db.segments()) {
                expected.add(ObjectKeys.dataKey("", db.namespace(), segment.id()));
                expected.add(ObjectKeys.indexKey("", db.namespace(), segment.id()));
            }
        }
        List<String> problems = new ArrayList<>();
        expected.stream().filter(k -> !keys.contains(k)).sorted().forEach(k -> problems.add("missing object " + k));
        keys.stream().filter(k -> !expected.contains(k)).forEach(k -> problems.add("object nobody stored: " + k));
        return problems;
    }

    /** Restores every namespace (latest) into {@code dir} and compares it with what the load wrote. */
    List<String> restoreMismatches(List<ExpectedDatabase> databases, Path dir) {
        List<String> problems = new ArrayList<>();
        DatabaseRestorer restorer = new DatabaseRestorer(s3, bucket, DatabaseRestorer.DEFAULT_PARALLELISM);
        for (ExpectedDatabase db : databases) {
            Path file = dir.resolve(db.namespace() + ".db");
            try {
                restorer.restore(s3, bucket, "", db.namespace(), RestoreTarget.latest(), file);
                byte[] restored = Files.readAllBytes(file);
                if (!Arrays.equals(db.expectedFile(), restored)) {
                    problems.add("namespace " + db.namespace() + " restores to " + restored.length
                            + " bytes that differ from the " + db.expectedFile().length + " bytes stored"
                            + " (first difference at byte " + Arrays.mismatch(db.expectedFile(), restored) + ")");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read the restored " + file, e);
            } catch (RuntimeException e) {
                problems.add("namespace " + db.namespace() + " does not restore: " + e.getMessage());
            }
        }
        return problems;
    }
}
