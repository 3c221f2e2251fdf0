package dev.fathom.worker;

import dev.fathom.schemas.FathomSerdes;
import dev.fathom.schemas.SegmentChunk;
import dev.fathom.schemas.format.Frame;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.schemas.format.SegmentFrames;
import dev.fathom.schemas.format.SegmentId;
import dev.fathom.testkit.TestSegments;
import dev.fathom.worker.CorpusCase.CorpusRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Builds the records of {@link BadInputCorpus}: valid segments and their chunks, chunks edited field by field, frames
 * that break a segment rule, truncated and fuzzed encodings (fixed seeds, so every run publishes the same bytes).
 * Stateless apart from the seeded random source; not thread-safe.
 */
final class CorpusRecords {

    static final int PAGE_SIZE = 512;
    static final long T0 = 1_700_000_000_000L;
    private static final String TOPIC = "corpus";

    private final Serializer<SegmentChunk> serializer = FathomSerdes.segmentChunk().serializer();
    private final Deserializer<SegmentChunk> deserializer = FathomSerdes.segmentChunk().deserializer();
    private final Random random = new Random(20261126);

    /** A valid segment of {@code frames} frames starting at {@code start}. */
    SealedSegment segment(long start, int frames) {
        return TestSegments.random(start, frames, PAGE_SIZE, 6, T0 + start, random);
    }

    /** The chunks of {@code segment} as the producer library would publish them. */
    List<SegmentChunk> chunks(String namespace, SealedSegment segment, int count) {
        return TestChunks.of(namespace, "default", segment, count);
    }

    /** Encoded records of {@code chunks}, keyed by {@code namespace}. */
    List<CorpusRecord> records(String namespace, List<SegmentChunk> chunks) {
        return chunks.stream().map(c -> record(namespace, encode(c))).toList();
    }

    /** Encoded records of a valid segment split into {@code count} chunks. */
    List<CorpusRecord> valid(String namespace, SealedSegment segment, int count) {
        return records(namespace, chunks(namespace, segment, count));
    }

    /** Records of {@code segment} in {@code count} chunks with chunk {@code index} edited by {@code edit}. */
    List<CorpusRecord> edited(String namespace, SealedSegment segment, int count, int index,
                              UnaryOperator<SegmentChunk.Builder> edit) {
        List<SegmentChunk> chunks = new ArrayList<>(chunks(namespace, segment, count));
        chunks.set(index, edit.apply(SegmentChunk.newBuilder(chunks.get(index))).build());
        return records(namespace, chunks);
    }

    /** Records of {@code segment} as one chunk, edited by {@code edit}. */
    List<CorpusRecord> single(String namespace, SealedSegment segment, UnaryOperator<SegmentChunk.Builder> edit) {
        return edited(namespace, segment, 1, 0, edit);
    }

    /**
     * A single-chunk segment made of {@code frames} as given (they may break segment rules), with headers and
     * checksums consistent with them so only the frames themselves are wrong.
     */
    List<CorpusRecord> rawFrames(String namespace, List<Frame> frames) {
        byte[] payload = SegmentFrames.encode(frames);
        Frame first = frames.get(0);
        Frame last = frames.get(frames.size() - 1);
        long end = Math.max(first.frameNo(), last.frameNo());
        SegmentChunk chunk = SegmentChunk.newBuilder()
                .setNamespace(namespace).setProfile("default")
                .setSegmentId(new SegmentId(Math.max(1, first.frameNo()), Math.max(1, end), T0).format())
                .setStartFrameNo(first.frameNo()).setEndFrameNo(last.frameNo()).setSealedAtMs(T0)
                .setPageSize(first.page().length).setSizeAfter(last.sizeAfter())
                .setChunkIndex(0).setChunkCount(1)
                .setFrames(ByteBuffer.wrap(payload)).setFramesCrc32c(TestChunks.crc32c(payload))
                .setSegmentCrc32c(TestChunks.crc32c(payload)).setProducerId("corpus")
                .build();
        return List.of(record(namespace, encode(chunk)));
    }

    /** Frames 1..n of pages of {@code pageSize} bytes, the last one committing {@code lastSizeAfter} pages. */
    static List<Frame> frames(int n, int pageSize, int lastSizeAfter) {
        List<Frame> frames = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            frames.add(new Frame(i, i == n ? lastSizeAfter : 0, i, new byte[pageSize]));
        }
        return frames;
    }

    /** The encoding of a valid one-chunk segment of {@code namespace} (frames 1..4). */
    byte[] encodedChunk(String namespace) {
        return encode(chunks(namespace, segment(1, 4), 1).get(0));
    }

    /** {@code encoded} cut to its first {@code length} bytes. */
    static byte[] truncated(byte[] encoded, int length) {
        return Arrays.copyOf(encoded, length);
    }

    /**
     * Fuzzed encodings: a valid chunk of {@code namespace} with a few bytes overwritten at positions and values drawn
     * from seeds 1, 2, 3, ..., keeping the first {@code count} that this reader cannot decode (a mutation that still
     * decodes would be a different, valid-looking chunk under another namespace or segment).
     */
    List<byte[]> fuzzed(String namespace, int count) {
        byte[] base = encodedChunk(namespace);
        List<byte[]> out = new ArrayList<>();
        for (long seed = 1; out.size() < count; seed++) {
            Random fuzz = new Random(seed);
            byte[] bytes = base.clone();
            int flips = 1 + fuzz.nextInt(4);
            for (int i = 0; i < flips; i++) {
                // Bias towards the header, the field lengths and the early fields, where decoding breaks.
                int at = fuzz.nextBoolean() ? fuzz.nextInt(Math.min(64, bytes.length)) : fuzz.nextInt(bytes.length);
                bytes[at] = (byte) fuzz.nextInt(256);
            }
            if (!decodes(bytes)) {
                out.add(bytes);
            }
        }
        return out;
    }

    /** Random bytes behind a valid single-object header of SegmentChunk (seeded), that do not decode. */
    List<byte[]> randomBodies(int count) {
        byte[] header = Arrays.copyOf(encodedChunk("x"), 10);
        List<byte[]> out = new ArrayList<>();
        for (long seed = 100; out.size() < count; seed++) {
            Random fuzz = new Random(seed);
            byte[] bytes = Arrays.copyOf(header, 10 + fuzz.nextInt(200));
            for (int i = 10; i < bytes.length; i++) {
                bytes[i] = (byte) fuzz.nextInt(256);
            }
            if (!decodes(bytes)) {
                out.add(bytes);
            }
        }
        return out;
    }

    static CorpusRecord record(String key, byte[] value) {
        return new CorpusRecord(key, null, value);
    }

    byte[] encode(SegmentChunk chunk) {
        return serializer.serialize(TOPIC, chunk);
    }

    private boolean decodes(byte[] bytes) {
        try {
            return deserializer.deserialize(TOPIC, bytes) != null;
        } catch (SerializationException e) {
            return false;
        }
    }
}
