package dev.fathom.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;
import org.apache.avro.specific.SpecificRecord;

/**
 * The fixed records behind the committed golden files in src/test/resources/compat/v1, and the generator that
 * writes a missing file. The committed files are the reference: never regenerate one that exists, or the compat test
 * would compare the current encoder with itself.
 */
final class GoldenRecords {
    /** Where the golden files live in the source tree (the test runs with the module directory as working dir). */
    static final Path SOURCE_DIR = Path.of("src", "test", "resources", "compat");
    private static final String OBJECT_KEY_STEM =
            "tenants/golden.db-1_v1/segments/00000000000000000041-00000000000000000042-1767225600000";

    /**
     * One golden case: version directory, file name, serde and the record the file must decode to; {@code current}
     * when the file was written with the current schema (only those must re-encode to the same bytes).
     */
    record Golden<T extends SpecificRecord>(String version, String fileName, AvroSerde<T> serde, T record,
                                            boolean current) {
        /** Path of the file below compat/. */
        String path() {
            return version + "/" + fileName;
        }

        @Override
        public String toString() {
            return path();
        }
    }

    private GoldenRecords() {
    }

    static List<Golden<?>> all() {
        return List.of(
                new Golden<>("v1", "segment-chunk.bin", FathomSerdes.segmentChunk(), segmentChunk(), true),
                new Golden<>("v1", "durable-frame.bin", FathomSerdes.durableFrame(), durableFrame(), true),
                new Golden<>("v1", "segment-info.bin", FathomSerdes.segmentInfo(), segmentInfo(), true),
                new Golden<>("v1", "dead-letter.bin", FathomSerdes.deadLetter(), deadLetter(), false),
                // v2: reason codes PROFILE_NOT_ALLOWED and UNKNOWN (the enum default) added.
                new Golden<>("v2", "dead-letter.bin", FathomSerdes.deadLetter(), deadLetterV2(), true));
    }

    /** Writes the golden files that are missing under {@code dir}; returns the ones written. */
    static List<Path> writeMissing(Path dir) {
        try {
            Files.createDirectories(dir);
            List<Path> written = new java.util.ArrayList<>();
            for (Golden<?> golden : all()) {
                Path file = dir.resolve(golden.path());
                if (!Files.exists(file)) {
                    Files.createDirectories(file.getParent());
                    Files.write(file, encode(golden));
                    written.add(file);
                }
            }
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T extends SpecificRecord> byte[] encode(Golden<T> golden) {
        return golden.serde().serializer().serialize("golden", golden.record());
    }

    /** Regenerates missing golden files: run from the schemas module directory. */
    public static void main(String[] args) {
        writeMissing(SOURCE_DIR).forEach(path -> System.out.println("Wrote " + path));
    }

    static SegmentChunk segmentChunk() {
        byte[] frames = frames();
        CRC32C crc = new CRC32C();
        crc.update(frames);
        return SegmentChunk.newBuilder()
                .setNamespace("golden.db-1_v1")
                .setProfile("default")
                .setSegmentId("00000000000000000041-00000000000000000042-1767225600000")
                .setStartFrameNo(41L)
                .setEndFrameNo(42L)
                .setSealedAtMs(1_767_225_600_000L)
                .setPageSize(512)
                .setSizeAfter(3)
                .setChunkIndex(0)
                .setChunkCount(1)
                .setFrames(ByteBuffer.wrap(frames))
                .setFramesCrc32c((int) crc.getValue())
                .setSegmentCrc32c((int) crc.getValue())
                .setProducerId("node-7")
                .build();
    }

    static DurableFrame durableFrame() {
        return DurableFrame.newBuilder()
                .setNamespace("golden.db-1_v1")
                .setDurableFrameNo(42L)
                .setLastSegmentId("00000000000000000041-00000000000000000042-1767225600000")
                .setLastStartFrameNo(41L)
                .setLastSealedAtMs(1_767_225_600_000L)
                .setSizeAfter(3)
                .setPageSize(512)
                .setProfile("default")
                .setUpdatedAtMs(1_767_225_601_234L)
                .build();
    }

    static SegmentInfo segmentInfo() {
        return SegmentInfo.newBuilder()
                .setNamespace("golden.db-1_v1")
                .setSegmentId("00000000000000000041-00000000000000000042-1767225600000")
                .setProfile("default")
                .setDataKey(OBJECT_KEY_STEM + ".seg")
                .setIndexKey(OBJECT_KEY_STEM + ".idx")
                .setStartFrameNo(41L)
                .setEndFrameNo(42L)
                .setSealedAtMs(1_767_225_600_000L)
                .setSizeAfter(3)
                .setPageSize(512)
                .setPageCount(2)
                .setDataSize(1_130L)
                .setIndexSize(96L)
                .setDataCrc32c(0x1234ABCD)
                .setIndexCrc32c(-0x21524111)
                .setCommittedAtMs(1_767_225_601_234L)
                .build();
    }

    /** A v2 letter: the same as {@link #deadLetter()} with the reason code v1 did not have. */
    static DeadLetter deadLetterV2() {
        return DeadLetter.newBuilder(deadLetter()).setReasonCode(DeadLetterReason.PROFILE_NOT_ALLOWED)
                .setReason("Segment 00000000000000000050-00000000000000000060-1767225600000 of namespace"
                        + " golden.db-1_v1 names storage profile 'default' whose allowed.namespaces [tenant-*] do not"
                        + " match it").build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setNamespace("golden.db-1_v1")
                .setReasonCode(DeadLetterReason.GAP)
                .setReason("Segment 00000000000000000050-00000000000000000060-1767225600000 of namespace golden.db-1_v1"
                        + " starts at frame 50 but the durable frame is 42: frames 43..49 are missing")
                .setProfile("default")
                .setSegmentId(null)
                .setStartFrameNo(50L)
                .setEndFrameNo(null)
                .setDurableFrameNo(42L)
                .setSourceTopic("fathom.segments")
                .setSourcePartition(7)
                .setFirstOffset(1_000L)
                .setLastOffset(1_002L)
                .setWorkerId("worker-2")
                .setFailedAtMs(1_767_225_602_000L)
                .build();
    }

    /** Two frames in the sealed-segment layout: u32 page_no, u32 size_after, u64 frame_no, 512 page bytes. */
    private static byte[] frames() {
        ByteBuffer out = ByteBuffer.allocate(2 * (16 + 512));
        for (int i = 0; i < 2; i++) {
            out.putInt(2 + i).putInt(i == 1 ? 3 : 0).putLong(41L + i);
            for (int b = 0; b < 512; b++) {
                out.put((byte) (b * 31 + i));
            }
        }
        return out.array();
    }
}
