package dev.fathom.schemas.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The tiny segment behind the golden vectors in {@code src/test/resources/format/v1/} (described in README.md
 * there). {@link #main} rewrites the files; run it only when the format version changes, never to make a test pass.
 */
final class GoldenSegment {

    static final int PAGE_SIZE = 512;
    static final long SEALED_AT_MS = 1_700_000_000_123L;
    static final String RESOURCE_DIR = "/format/v1/";

    private GoldenSegment() {
    }

    /** Frames 7..12: page 5 is written then truncated away by the last commit; pages 1 and 2 are rewritten. */
    static SealedSegment segment() {
        return SealedSegment.of(PAGE_SIZE, SEALED_AT_MS, List.of(
                frame(1, 0, 7),
                frame(2, 0, 8),
                frame(5, 0, 9),
                frame(2, 5, 10),
                frame(3, 0, 11),
                frame(1, 4, 12)));
    }

    /** Page byte i of (pageNo, frameNo) = (frameNo * 31 + pageNo * 7 + i) mod 256. */
    static byte[] page(int pageNo, long frameNo) {
        byte[] page = new byte[PAGE_SIZE];
        for (int i = 0; i < PAGE_SIZE; i++) {
            page[i] = (byte) (frameNo * 31 + pageNo * 7 + i);
        }
        return page;
    }

    private static Frame frame(int pageNo, int sizeAfter, long frameNo) {
        return new Frame(pageNo, sizeAfter, frameNo, page(pageNo, frameNo));
    }

    static byte[] resource(String name) {
        try (InputStream in = GoldenSegment.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("Missing golden vector " + RESOURCE_DIR + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rewrites the golden files; args[0] = the resources directory (schemas/src/test/resources/format/v1). */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        SealedSegment segment = segment();
        CompactedSegmentObjects objects = CompactedSegmentWriter.write(segment);
        Files.write(dir.resolve("frames.bin"), SegmentFrames.encode(segment.frames()));
        Files.write(dir.resolve("segment.seg"), objects.data());
        Files.write(dir.resolve("segment.idx"), objects.index());
    }
}
