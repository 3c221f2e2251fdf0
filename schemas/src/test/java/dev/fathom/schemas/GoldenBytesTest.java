package dev.fathom.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.fathom.schemas.GoldenRecords.Golden;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Records already in Kafka topics must stay readable: every committed golden file (every version) decodes with the
 * current reader to exactly the fixed record, and the current writer still produces the bytes of the newest version.
 * When a schema changes on purpose the re-encode check fails: add a compat/v(N+1) file, keep the old ones (marked not
 * current in {@link GoldenRecords}), and register the old schema in {@link FathomSerdes}.
 */
class GoldenBytesTest {
    static List<Golden<?>> goldens() {
        return GoldenRecords.all();
    }

    static List<Golden<?>> currentGoldens() {
        return GoldenRecords.all().stream().filter(Golden::current).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    <T extends SpecificRecord> void shouldDecodeGoldenFileToTheFixedRecordFieldByField(Golden<T> golden)
            throws IOException {
        byte[] bytes = read(golden);
        T decoded = golden.serde().deserializer().deserialize("golden", bytes);
        Schema schema = golden.record().getSchema();
        assertEquals(schema.getFields().size(), decoded.getSchema().getFields().size());
        for (Schema.Field field : schema.getFields()) {
            assertEquals(golden.record().get(field.pos()), decoded.get(field.pos()),
                    () -> golden.path() + ": field " + field.name());
        }
        assertEquals(golden.record(), decoded);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("currentGoldens")
    <T extends SpecificRecord> void shouldReEncodeToTheGoldenBytes(Golden<T> golden) throws IOException {
        byte[] bytes = read(golden);
        assertArrayEquals(bytes, GoldenRecords.encode(golden), golden.path()
                + ": the current writer no longer produces these bytes; did a schema change?");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("currentGoldens")
    <T extends SpecificRecord> void shouldCarryTheSchemaFingerprintInTheHeader(Golden<T> golden) throws IOException {
        byte[] bytes = read(golden);
        assertEquals((byte) 0xC3, bytes[0]);
        assertEquals((byte) 0x01, bytes[1]);
        assertEquals(SchemaNormalization.parsingFingerprint64(golden.record().getSchema()),
                AvroSerde.headerFingerprint(bytes));
    }

    private static byte[] read(Golden<?> golden) throws IOException {
        String resource = "/compat/" + golden.path();
        try (InputStream in = GoldenBytesTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, "Golden file " + resource + " is missing from src/test/resources; generate the missing"
                    + " files with GoldenRecordsGeneratorTest (-Dfathom.golden.generate=true) and commit them");
            return in.readAllBytes();
        }
    }
}
