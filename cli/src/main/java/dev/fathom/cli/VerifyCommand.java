package dev.fathom.cli;

import dev.fathom.producer.restore.BucketSegmentCatalog;
import dev.fathom.producer.storage.ObjectCodec;
import dev.fathom.producer.restore.SegmentChain;
import dev.fathom.producer.restore.StoredSegment;
import dev.fathom.schemas.format.CompactedSegment;
import dev.fathom.schemas.format.ObjectKeys;
import dev.fathom.schemas.format.PageIndex;
import dev.fathom.schemas.format.SegmentId;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code fathom verify NS}: fetches and decodes every {@code .seg} and {@code .idx} of a namespace (every checksum
 * checked) and checks that the segments form a contiguous chain from frame 1.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Fetch and decode every segment and page index of a namespace (all checksums) and check the"
                + " chain is contiguous from frame 1. Exit 1 when anything is corrupt or missing.")
final class VerifyCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    S3Options s3;

    @Parameters(index = "0", paramLabel = "NS", description = "namespace")
    String namespace;

    /** How the objects are stored; resolved once, so a bad --encryption-key is a usage error, not a finding. */
    private ObjectCodec codec;

    @Override
    public Integer call() {
        codec = s3.codec();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> problems = new ArrayList<>();
        long bytes = 0;
        List<StoredSegment> segments;
        List<String> keys;
        try (S3Client client = s3.newClient()) {
            keys = client.listObjectsV2Paginator(b -> b.bucket(s3.bucket)
                    .prefix(ObjectKeys.segmentsPrefix(s3.prefix(), namespace))).contents().stream()
                    .map(S3Object::key).toList();
            segments = new BucketSegmentCatalog(client, s3.bucket, s3.prefix()).segments(namespace);
            for (StoredSegment segment : segments) {
                String problem = null;
                try {
                    byte[] data = get(client, segment.dataKey());
                    byte[] index = get(client, segment.indexKey());
                    bytes += data.length + index.length;
                    problem = check(segment, data, index);
                } catch (RuntimeException e) {
                    problem = e.getMessage();
                }
                if (problem == null) {
                    out.println("OK      " + segment.id().format());
                } else {
                    out.println("FAILED  " + segment.id().format() + ": " + problem);
                    problems.add(problem);
                }
            }
        }
        List<String> orphans = orphans(keys, segments);
        for (String problem : orphans) {
            out.println("FAILED  " + problem);
        }
        problems.addAll(orphans);
        List<String> gaps = SegmentChain.problems(namespace, segments);
        problems.addAll(gaps);
        for (String problem : gaps) {
            out.println("FAILED  chain: " + problem);
        }
        long end = segments.isEmpty() ? 0 : segments.get(segments.size() - 1).id().endFrameNo();
        if (segments.isEmpty()) {
            problems.add("no segments of namespace '" + namespace + "' under "
                    + s3.where(ObjectKeys.segmentsPrefix(s3.prefix(), namespace)));
        }
        out.println(segments.size() + " segments, frames 1.." + end + ", " + bytes + " bytes read, "
                + problems.size() + " problems");
        out.flush();
        if (problems.isEmpty()) {
            return FathomCli.EXIT_OK;
        }
        err.println("fathom verify: namespace '" + namespace + "' FAILED: " + problems.get(0)
                + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""));
        err.flush();
        return FathomCli.EXIT_FAILURE;
    }

    /** A {@code .seg} without its {@code .idx} or the reverse: the catalog skips it, so name the missing object. */
    private List<String> orphans(List<String> keys, List<StoredSegment> complete) {
        Set<String> known = new HashSet<>();
        complete.forEach(s -> {
            known.add(s.dataKey());
            known.add(s.indexKey());
        });
        List<String> problems = new ArrayList<>();
        for (String key : keys) {
            if (known.contains(key) || ObjectKeys.parseSegmentKey(key).isEmpty()) {
                continue;
            }
            String other = key.endsWith(".seg") ? key.substring(0, key.length() - 4) + ".idx"
                    : key.substring(0, key.length() - 4) + ".seg";
            problems.add("missing " + s3.where(other) + " (found " + s3.where(key) + ")");
        }
        return problems;
    }

    private byte[] get(S3Client client, String key) {
        try {
            return client.getObjectAsBytes(b -> b.bucket(s3.bucket).key(key)).asByteArray();
        } catch (SdkException e) {
            throw new IllegalStateException("cannot fetch " + s3.where(key) + ": " + e.getMessage(), e);
        }
    }

    /** Returns null when both objects decode and agree with the key, else the problem naming the object. */
    private String check(StoredSegment segment, byte[] data, byte[] index) {
        String dataWhere = s3.where(segment.dataKey());
        String indexWhere = s3.where(segment.indexKey());
        CompactedSegment decoded;
        byte[] plainData;
        try {
            plainData = codec.decode(segment.dataKey(), data, dataWhere); // decrypts when a key is given
            decoded = CompactedSegment.read(ByteBuffer.wrap(plainData), dataWhere);
        } catch (RuntimeException e) {
            return "corrupt " + dataWhere + ": " + e.getMessage();
        }
        PageIndex pageIndex;
        try {
            pageIndex = PageIndex.read(ByteBuffer.wrap(codec.decode(segment.indexKey(), index, indexWhere)),
                    indexWhere);
        } catch (RuntimeException e) {
            return "corrupt " + indexWhere + ": " + e.getMessage();
        }
        SegmentId id = segment.id();
        if (!decoded.id().equals(id)) {
            return dataWhere + " holds " + decoded.id().format() + ", not the segment its key names";
        }
        if (!pageIndex.id().equals(id)) {
            return indexWhere + " holds " + pageIndex.id().format() + ", not the segment its key names";
        }
        if (pageIndex.pageCount() != decoded.pageCount() || pageIndex.dataSize() != plainData.length) {
            return indexWhere + " does not match " + dataWhere + " (pages " + pageIndex.pageCount() + " vs "
                    + decoded.pageCount() + ", data size " + pageIndex.dataSize() + " vs " + plainData.length + ")";
        }
        return null;
    }
}
