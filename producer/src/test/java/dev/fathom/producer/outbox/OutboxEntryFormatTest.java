package dev.fathom.producer.outbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.format.CorruptSegmentException;
import dev.fathom.schemas.format.EncodedSegment;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.schemas.format.SegmentFrames;
import dev.fathom.testkit.TestSegments;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxEntryFormatTest {

    @TempDir
    Path dir;

    private final Random random = new Random(11);

    private byte[] encode(long sequence, String namespace, String profile, SealedSegment segment) throws IOException {
        Path file = dir.resolve("encoded-" + sequence);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long written = OutboxEntryFormat.write(out, sequence, namespace, profile, segment);
            assertEquals(OutboxEntryFormat.fileSize(namespace, profile, segment), written,
                    "fileSize() = bytes written");
        }
        return Files.readAllBytes(file);
    }

    @Test
    void shouldRoundTripASegmentThroughAFile() throws IOException {
        SealedSegment segment = TestSegments.random(7, 300, 4096, 100, 1_700_000_000_123L, random);
        Path file = dir.resolve("00000000000000000042.entry");
        Files.write(file, encode(42, "db-1.x_y", "cold", segment));

        OutboxEntryFormat.Decoded decoded = OutboxEntryFormat.read(file);
        OutboxEntry scanned = OutboxEntryFormat.scan(file);

        assertEquals(segment, decoded.segment());
        OutboxEntry expected = new OutboxEntry(file, 42, "db-1.x_y", "cold", segment.id(), 4096, Files.size(file));
        assertEquals(expected, decoded.entry());
        assertEquals(expected, scanned);
        assertEquals(segment.frameBytes(), scanned.frameBytes());
    }

    @Test
    void shouldLayOutTheHeaderAsDocumented() throws IOException {
        SealedSegment segment = TestSegments.random(7, 2, 512, 3, 1_700_000_000_123L, random);
        byte[] bytes = encode(5, "db", "p", segment);

        // docs/FORMATS.md "Outbox entry": magic, version 1, reserved 0, page size, start, end, sealed_at, sequence,
        // then u16-prefixed namespace and profile, u64 frames length, the frame records, CRC32C.
        String header = HexFormat.of().formatHex(bytes, 0, 63);
        assertEquals("4654484d4f425801" + "0001" + "0000" + "00000200"
                + "0000000000000007" + "0000000000000008" + "0000018bcfe5687b" + "0000000000000005"
                + "0002" + "6462" + "0001" + "70" + "0000000000000420", header);
        assertArrayEquals(SegmentFrames.encode(segment.frames()), Arrays.copyOfRange(bytes, 63, 63 + 1056));
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        assertEquals((int) crc.getValue(), ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt());
        assertEquals(63 + 1056 + 4, bytes.length);
    }

    @Test
    void shouldDetectEveryByteFlip() throws IOException {
        SealedSegment segment = TestSegments.random(1, 3, 512, 5, 1L, random);
        byte[] good = encode(1, "db", "default", segment);
        Path file = dir.resolve("00000000000000000001.entry");
        for (int offset = 0; offset < good.length; offset++) {
            for (int mask : new int[] {0x01, 0x80, 0xFF}) {
                byte[] bad = good.clone();
                bad[offset] ^= (byte) mask;
                int at = offset;
                CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
                        () -> OutboxEntryFormat.decode(bad, file), "flip at " + at);
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
                if (mask == 0x01) { // the file-based scan shares the checks; once per offset is enough
                    Files.write(file, bad);
                    assertThrows(CorruptSegmentException.class, () -> OutboxEntryFormat.scan(file),
                            "scan, flip at " + at);
                }
            }
        }
    }

    @Test
    void shouldDetectEveryTruncationAndExtension() throws IOException {
        SealedSegment segment = TestSegments.random(1, 2, 512, 5, 1L, random);
        byte[] good = encode(1, "db", "default", segment);
        Path file = dir.resolve("00000000000000000001.entry");
        for (int length = 0; length < good.length; length++) {
            byte[] torn = Arrays.copyOf(good, length);
            int at = length;
            assertThrows(CorruptSegmentException.class, () -> OutboxEntryFormat.decode(torn, file), "length " + at);
            Files.write(file, torn);
            assertThrows(CorruptSegmentException.class, () -> OutboxEntryFormat.scan(file), "scan, length " + at);
        }
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
                () -> OutboxEntryFormat.decode(longer, file));
        assertTrue(e.getMessage().contains("describes " + good.length + " bytes"), e.getMessage());
    }

    @Test
    void shouldNameTheProblemOfATornWrite() throws IOException {
        SealedSegment segment = TestSegments.random(1, 20, 4096, 5, 1L, random);
        byte[] good = encode(3, "db", "default", segment);
        Path file = dir.resolve("00000000000000000003.entry");
        Files.write(file, Arrays.copyOf(good, good.length / 2));

        CorruptSegmentException e = assertThrows(CorruptSegmentException.class, () -> OutboxEntryFormat.scan(file));

        assertTrue(e.getMessage().contains("outbox entry " + file) && e.getMessage().contains("torn write")
                && e.getMessage().contains("outbox.dir"), e.getMessage());
    }

    @Test
    void shouldReadAnEntryForPublishingAsTheFramesItWasWrittenFrom() throws IOException {
        SealedSegment segment = TestSegments.random(9, 40, 4096, 30, 1_700_000_000_123L, random);
        Path file = dir.resolve("00000000000000000005.entry");
        Files.write(file, encode(5, "db", "default", segment));

        EncodedSegment encoded = OutboxEntryFormat.readEncoded(file);

        assertEquals(EncodedSegment.of(segment), encoded);
        assertEquals(segment.frameBytes(), encoded.frameBytes());
        assertArrayEquals(SegmentFrames.encode(segment.frames()), bytes(encoded.frames()));
    }

    @Test
    void shouldRefuseFramesThatBreakASegmentRuleEvenWithAValidChecksum() throws IOException {
        SealedSegment segment = TestSegments.random(1, 3, 512, 5, 1L, random);
        byte[] good = encode(1, "db", "default", segment);
        int frames = OutboxEntryFormat.FIXED_HEADER_SIZE + 2 + 2 + 2 + 7 + 8; // "db", "default"
        Path file = dir.resolve("00000000000000000001.entry");
        int record = SegmentFrames.recordSize(512);
        // frame_no of record 0 below 1, frame_no of record 1 not contiguous, the last frame no commit, page_no 0
        int[][] broken = {{frames + 8, 0}, {frames + record + 8, 7}, {frames + 2 * record + 4, 0}, {frames, 0}};
        for (int[] field : broken) {
            byte[] bad = good.clone();
            ByteBuffer edit = ByteBuffer.wrap(bad);
            if (field[0] == frames + 8 || field[0] == frames + record + 8) {
                edit.putLong(field[0], field[1]);
            } else {
                edit.putInt(field[0], field[1]);
            }
            edit.putInt(bad.length - 4, crc(bad, bad.length - 4));
            Files.write(file, bad);

            CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
                    () -> OutboxEntryFormat.readEncoded(file), "field at " + field[0]);

            assertTrue(e.getMessage().contains("outbox entry " + file) && e.getMessage().contains("outbox.dir"),
                    e.getMessage());
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    private static int crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }
}
