package dev.fathom.worker;

import static dev.fathom.schemas.DeadLetterReason.BLOCKED_NAMESPACE;
import static dev.fathom.schemas.DeadLetterReason.CORRUPT;
import static dev.fathom.schemas.DeadLetterReason.GAP;
import static dev.fathom.schemas.DeadLetterReason.INVALID_NAMESPACE;
import static dev.fathom.schemas.DeadLetterReason.INVALID_SEGMENT;
import static dev.fathom.schemas.DeadLetterReason.OVERLAP;
import static dev.fathom.schemas.DeadLetterReason.UNDECODABLE;
import static dev.fathom.schemas.DeadLetterReason.UNKNOWN_PROFILE;
import static dev.fathom.worker.CorpusRecords.PAGE_SIZE;
import static dev.fathom.worker.CorpusRecords.frames;

import dev.fathom.schemas.DeadLetterReason;
import dev.fathom.schemas.NamespacePartitioner;
import dev.fathom.schemas.SegmentChunk;
import dev.fathom.schemas.format.Frame;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.worker.CorpusCase.CorpusRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The malformed inputs the worker must survive, in one place: undecodable and fuzzed records (fixed seeds),
 * truncated and corrupt chunks, wrong checksums, inconsistent chunk headers, huge and negative chunk counts, wrong
 * page sizes, frames that break segment rules, wrong partitions, unknown profiles, gaps, overlaps, duplicates and
 * hostile namespaces. Each case says which dead letters it must produce (none for a harmless duplicate) and where
 * its namespace's durable frame must end. Not thread-safe (one seeded record source).
 */
final class BadInputCorpus {

    private final CorpusRecords r = new CorpusRecords();
    private final List<CorpusCase> cases = new ArrayList<>();
    private final int partitions;

    private BadInputCorpus(int partitions) {
        this.partitions = partitions;
    }

    /** Every case, for a segments topic of {@code partitions} partitions. */
    static List<CorpusCase> cases(int partitions) {
        BadInputCorpus corpus = new BadInputCorpus(partitions);
        corpus.undecodable();
        corpus.corruptChunks();
        corpus.invalidSegments();
        corpus.contiguity();
        corpus.hostileNamespaces();
        return List.copyOf(corpus.cases);
    }

    private void undecodable() {
        byte[] chunk = r.encodedChunk("u");
        add("empty value", "u01-empty", UNDECODABLE, raw("u01-empty", new byte[0]));
        add("null value (tombstone)", "u02-null", UNDECODABLE, raw("u02-null", null));
        add("plain text", "u03-text", UNDECODABLE, raw("u03-text", "not avro".getBytes(StandardCharsets.UTF_8)));
        add("single-object header only", "u04-header", UNDECODABLE, raw("u04-header",
                CorpusRecords.truncated(chunk, 10)));
        byte[] magic = chunk.clone();
        magic[0] = 0x00;
        add("wrong single-object magic", "u05-magic", UNDECODABLE, raw("u05-magic", magic));
        byte[] fingerprint = chunk.clone();
        fingerprint[5] ^= 0x01;
        add("unknown schema fingerprint", "u06-fingerprint", UNDECODABLE, raw("u06-fingerprint", fingerprint));
        add("truncated to half", "u07-half", UNDECODABLE, raw("u07-half",
                CorpusRecords.truncated(chunk, chunk.length / 2)));
        add("truncated by one byte", "u08-minus1", UNDECODABLE, raw("u08-minus1",
                CorpusRecords.truncated(chunk, chunk.length - 1)));
        add("truncated after the header", "u09-12", UNDECODABLE, raw("u09-12", CorpusRecords.truncated(chunk, 12)));
        List<byte[]> fuzzed = r.fuzzed("u10-fuzz", 10);
        for (int i = 0; i < fuzzed.size(); i++) {
            String ns = "u10-fuzz-" + i;
            add("fuzzed chunk bytes #" + i, ns, UNDECODABLE, raw(ns, fuzzed.get(i)));
        }
        List<byte[]> bodies = r.randomBodies(5);
        for (int i = 0; i < bodies.size(); i++) {
            String ns = "u11-random-" + i;
            add("random body behind a valid header #" + i, ns, UNDECODABLE, raw(ns, bodies.get(i)));
        }
    }

    private void corruptChunks() {
        SealedSegment s = r.segment(1, 6);
        String ns = "k01-flipped";
        List<SegmentChunk> c = r.chunks(ns, s, 3);
        add("a flipped frames byte", ns, CORRUPT, r.records(ns, List.of(c.get(0), TestChunks.corrupted(c.get(1)),
                c.get(2))));
        add("wrong chunk CRC", "k02-chunk-crc", CORRUPT, r.edited("k02-chunk-crc", s, 2, 0,
                b -> b.setFramesCrc32c(b.getFramesCrc32c() + 1)));
        add("wrong segment CRC", "k03-segment-crc", CORRUPT, r.single("k03-segment-crc", s,
                b -> b.setSegmentCrc32c(b.getSegmentCrc32c() + 1)));
        ns = "k04-dup-differs";
        c = r.chunks(ns, s, 3);
        add("a duplicate chunk with other content", ns, CORRUPT, r.records(ns, List.of(c.get(0), c.get(1),
                TestChunks.corrupted(c.get(1)), c.get(2))));
        inconsistent("k05-counts", s, b -> b.setChunkCount(4), "chunks announcing different counts");
        inconsistent("k06-index-high", s, b -> b.setChunkIndex(5), "a chunk index beyond the count");
        inconsistent("k07-index-negative", s, b -> b.setChunkIndex(-1), "a negative chunk index");
        inconsistent("k08-sealed-differs", s, b -> b.setSealedAtMs(b.getSealedAtMs() + 1),
                "chunks disagreeing on sealed_at");
        inconsistent("k09-profile-differs", s, b -> b.setProfile("other"), "chunks disagreeing on the profile");
        add("chunk count 0", "k10-count-0", CORRUPT, r.single("k10-count-0", s, b -> b.setChunkCount(0)));
        add("negative chunk count", "k11-count-neg", CORRUPT, r.single("k11-count-neg", s, b -> b.setChunkCount(-7)));
        add("chunk count 2^31-1", "k12-count-max", CORRUPT, r.single("k12-count-max", s,
                b -> b.setChunkCount(Integer.MAX_VALUE)));
        add("chunk count 1,000,000", "k13-count-huge", CORRUPT, r.single("k13-count-huge", s,
                b -> b.setChunkCount(1_000_000)));
        add("frames cut mid-record, checksums recomputed", "k14-cut", CORRUPT, r.single("k14-cut", s, b -> {
            ByteBuffer frames = b.getFrames().duplicate();
            byte[] cut = new byte[frames.remaining() - 100];
            frames.get(cut);
            int crc = TestChunks.crc32c(cut);
            return b.setFrames(ByteBuffer.wrap(cut)).setFramesCrc32c(crc).setSegmentCrc32c(crc);
        }));
        add("page size 1024 announced for 512-byte pages", "k15-page-1024", CORRUPT, r.single("k15-page-1024",
                r.segment(1, 4), b -> b.setPageSize(1024)));
    }

    private void invalidSegments() {
        SealedSegment s = r.segment(1, 4);
        for (int pageSize : new int[] {1000, 256, 131072, 0}) {
            String ns = "i01-page-" + pageSize;
            add("page size " + pageSize, ns, INVALID_SEGMENT, r.single(ns, s, b -> b.setPageSize(pageSize)));
        }
        add("headers claim other frames", "i02-range", INVALID_SEGMENT, r.single("i02-range", s,
                b -> b.setEndFrameNo(9)));
        add("headers claim another size_after", "i03-size", INVALID_SEGMENT, r.single("i03-size", s,
                b -> b.setSizeAfter(b.getSizeAfter() + 1)));
        add("segment id of another segment", "i04-id", INVALID_SEGMENT, r.single("i04-id", s,
                b -> b.setSegmentId("00000000000000000001-00000000000000000004-0000000000001")));
        add("negative sealed_at", "i05-sealed", INVALID_SEGMENT, r.single("i05-sealed", s,
                b -> b.setSealedAtMs(-1)));
        add("last frame is not a commit", "i06-no-commit", INVALID_SEGMENT, r.rawFrames("i06-no-commit",
                frames(3, PAGE_SIZE, 0)));
        List<Frame> skipping = new ArrayList<>(frames(3, PAGE_SIZE, 3));
        skipping.set(2, new Frame(3, 3, 4, new byte[PAGE_SIZE]));
        add("frame numbers skip inside the segment", "i07-skip", INVALID_SEGMENT, r.rawFrames("i07-skip", skipping));
        List<Frame> pageZero = new ArrayList<>(frames(2, PAGE_SIZE, 2));
        pageZero.set(0, new Frame(0, 0, 1, new byte[PAGE_SIZE]));
        add("page number 0", "i08-page0", INVALID_SEGMENT, r.rawFrames("i08-page0", pageZero));
        add("frame numbers from 0", "i09-frame0", INVALID_SEGMENT, r.rawFrames("i09-frame0",
                List.of(new Frame(1, 1, 0, new byte[PAGE_SIZE]))));
        add("no frames at all", "i10-empty", INVALID_SEGMENT, r.single("i10-empty", s, b -> b
                .setFrames(ByteBuffer.allocate(0)).setFramesCrc32c(0).setSegmentCrc32c(0)));
        String ns = "i11-partition";
        int wrong = (NamespacePartitioner.partitionFor(ns, partitions) + 1) % partitions;
        add("published to another partition", ns, INVALID_SEGMENT, r.valid(ns, s, 1).stream()
                .map(rec -> new CorpusRecord(rec.key(), wrong, rec.value())).toList());
        for (String profile : new String[] {"nope", "", "../default"}) {
            String name = "p-" + profile.length();
            add("unknown profile '" + profile + "'", name, UNKNOWN_PROFILE, r.single(name, s,
                    b -> b.setProfile(profile)));
        }
    }

    private void contiguity() {
        SealedSegment first = r.segment(1, 10);
        SealedSegment second = r.segment(11, 10);
        SealedSegment third = r.segment(21, 10);
        SealedSegment fourth = r.segment(31, 10);
        String ns = "g01-gap";
        add(ns, List.of(GAP), 10, r.valid(ns, first, 2), r.valid(ns, third, 1));
        ns = "g02-first-at-5";
        add(ns, List.of(GAP), 0, r.valid(ns, r.segment(5, 3), 1));
        ns = "g03-overlap";
        add(ns, List.of(OVERLAP), 10, r.valid(ns, first, 1), r.valid(ns, r.segment(5, 11), 1));
        ns = "g04-blocked";
        add(ns, List.of(GAP, BLOCKED_NAMESPACE), 10, r.valid(ns, first, 1), r.valid(ns, third, 1),
                r.valid(ns, fourth, 1));
        ns = "g05-unblocked";
        add(ns, List.of(GAP), 40, r.valid(ns, first, 1), r.valid(ns, third, 1), r.valid(ns, second, 2),
                r.valid(ns, third, 3), r.valid(ns, fourth, 1));
        ns = "g06-duplicate";
        add(ns, List.of(), 10, r.valid(ns, first, 1), r.valid(ns, first, 1));
        ns = "g07-duplicate-chunk";
        List<SegmentChunk> c = r.chunks(ns, first, 3);
        add(ns, List.of(), 10, r.records(ns, List.of(c.get(0), c.get(1), c.get(1), c.get(2))));
        ns = "g08-rechunked-replay";
        add(ns, List.of(), 20, r.valid(ns, first, 3), r.valid(ns, second, 1), r.valid(ns, first, 2));
        ns = "g09-replay-while-blocked";
        add(ns, List.of(GAP), 10, r.valid(ns, first, 1), r.valid(ns, third, 1), r.valid(ns, first, 1));
    }

    private void hostileNamespaces() {
        SealedSegment s = r.segment(1, 4);
        List<String> hostile = List.of("../x", "", "a".repeat(300), "données", "a\u0000b", "a/b", ".", "..",
                "a b", "a\nb", "\uD83D\uDE00", "b".repeat(129), "a\\b", "%2e%2e%2fx");
        for (String ns : hostile) {
            add("hostile namespace " + ns.replace("\n", "\\n").replace("\u0000", "\\0"), ns, INVALID_NAMESPACE,
                    r.valid(ns, s, 1));
        }
    }

    /** Chunk 1 of 3 replaced by an inconsistent copy, then all three valid chunks: the segment completes, CORRUPT. */
    private void inconsistent(String ns, SealedSegment s, UnaryOperator<SegmentChunk.Builder> edit,
                              String what) {
        List<SegmentChunk> c = r.chunks(ns, s, 3);
        SegmentChunk bad = edit.apply(SegmentChunk.newBuilder(c.get(1))).build();
        add(what, ns, CORRUPT, r.records(ns, List.of(c.get(0), bad, c.get(1), c.get(2))));
    }

    private static List<CorpusRecord> raw(String key, byte[] value) {
        return List.of(CorpusRecords.record(key, value));
    }

    private void add(String name, String ns, DeadLetterReason reason, List<CorpusRecord> records) {
        cases.add(new CorpusCase(name, ns, List.of(records), List.of(reason), 0));
    }

    @SafeVarargs
    private void add(String ns, List<DeadLetterReason> reasons, long durable, List<CorpusRecord>... transactions) {
        cases.add(new CorpusCase(ns, ns, List.of(transactions), reasons, durable));
    }
}
