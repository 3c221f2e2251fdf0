package dev.fathom.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {
    private static final String TOPIC = "fathom.segments";

    private final AvroSerde<SegmentChunk> chunks = FathomSerdes.segmentChunk();

    @Test
    void shouldRoundTripEveryRecordTypeWithoutTheAvroTrustProperty() {
        assertNull(System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES"),
                "the serde must trust its own classes without the JVM flag");
        for (GoldenRecords.Golden<?> golden : GoldenRecords.all()) {
            assertRoundTrip(golden);
        }
    }

    @Test
    void shouldMapNullToNullForTombstones() {
        assertNull(chunks.serializer().serialize(TOPIC, null));
        assertNull(chunks.deserializer().deserialize(TOPIC, null));
        assertNull(chunks.deserializer().deserialize(TOPIC, new RecordHeaders(), (byte[]) null));
    }

    @Test
    void shouldWriteSingleObjectHeaderWithSchemaFingerprint() {
        byte[] bytes = chunks.serializer().serialize(TOPIC, GoldenRecords.segmentChunk());
        assertArrayEquals(new byte[] {(byte) 0xC3, 0x01}, Arrays.copyOf(bytes, 2));
        long expected = SchemaNormalization.parsingFingerprint64(SegmentChunk.getClassSchema());
        assertEquals(expected, AvroSerde.headerFingerprint(bytes));
        assertEquals(expected, chunks.fingerprint());
    }

    @Test
    void shouldNameTopicAndDetailWhenMagicIsWrong() {
        byte[] bytes = {0x00, 0x01, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
        SerializationException e = assertThrows(SerializationException.class,
                () -> chunks.deserializer().deserialize(TOPIC, bytes));
        assertEquals("Cannot decode SegmentChunk from topic fathom.segments: not an Avro single-object record"
                + " (Unrecognized header bytes: 0x00 0x01) (no fingerprint: 12 bytes starting 0x00010203)",
                e.getMessage());
    }

    @Test
    void shouldRejectEmptyValue() {
        SerializationException e = assertThrows(SerializationException.class,
                () -> chunks.deserializer().deserialize(TOPIC, new byte[0]));
        assertEquals("Cannot decode SegmentChunk from topic fathom.segments: not an Avro single-object record"
                + " (Not enough header bytes) (no fingerprint: 0 bytes starting (empty))", e.getMessage());
    }

    @Test
    void shouldNameTheUnknownFingerprintWhenTheWriterSchemaIsUnknown() {
        byte[] frameBytes = FathomSerdes.durableFrame().serializer().serialize("fathom.meta",
                GoldenRecords.durableFrame());
        SerializationException e = assertThrows(SerializationException.class,
                () -> chunks.deserializer().deserialize("fathom.meta", frameBytes));
        assertEquals("Cannot decode SegmentChunk from topic fathom.meta: the writer schema is unknown to this reader"
                + " (known fingerprints: " + hex(chunks.fingerprint()) + "); register it with addWriterSchema"
                + " (fingerprint " + hex(FathomSerdes.durableFrame().fingerprint()) + ")", e.getMessage());
    }

    @Test
    void shouldReportTruncatedBodyWithItsFingerprint() {
        byte[] bytes = chunks.serializer().serialize(TOPIC, GoldenRecords.segmentChunk());
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 300);
        SerializationException e = assertThrows(SerializationException.class,
                () -> chunks.deserializer().deserialize(TOPIC, truncated));
        String message = e.getMessage();
        assertEquals(true, message.startsWith("Cannot decode SegmentChunk from topic fathom.segments: corrupt or"
                + " truncated body of " + truncated.length + " bytes ("), message);
        assertEquals(true, message.endsWith("(fingerprint " + hex(chunks.fingerprint()) + ")"), message);
    }

    @Test
    void shouldNameRecordAndTopicWhenEncodingFails() {
        SegmentChunk incomplete = new SegmentChunk(); // every field null, although the schema forbids it
        SerializationException e = assertThrows(SerializationException.class,
                () -> chunks.serializer().serialize(TOPIC, incomplete));
        assertEquals(true, e.getMessage().startsWith("Cannot encode SegmentChunk for topic fathom.segments: "),
                e.getMessage());
    }

    @Test
    void shouldBeUsableFromManyThreadsAtOnce() throws Exception {
        AvroSerde<DurableFrame> shared = FathomSerdes.durableFrame();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        DurableFrame record = DurableFrame.newBuilder(GoldenRecords.durableFrame())
                                .setNamespace("ns-" + thread).setDurableFrameNo(i).build();
                        byte[] bytes = shared.serializer().serialize("fathom.meta", record);
                        assertEquals(record, shared.deserializer().deserialize("fathom.meta", bytes));
                    }
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> void assertRoundTrip(
            GoldenRecords.Golden<T> golden) {
        byte[] bytes = golden.serde().serializer().serialize("t", golden.record());
        assertEquals(golden.record(), golden.serde().deserializer().deserialize("t", bytes), golden.fileName());
        assertEquals(golden.record(), golden.serde().deserializer().deserialize("t", new RecordHeaders(),
                java.nio.ByteBuffer.wrap(bytes)), golden.fileName());
    }

    private static String hex(long value) {
        return String.format(Locale.ROOT, "0x%016x", value);
    }
}
