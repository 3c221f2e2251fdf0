package dev.fathom.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Records written by other versions of a schema decode with the current reader once their schema is registered. */
class AvroSchemaEvolutionTest {
    @Test
    void shouldReadRecordsOfANewerSchemaWithAnAddedFieldAfterAddWriterSchema() {
        SegmentInfo info = GoldenRecords.segmentInfo();
        List<Schema.Field> fields = copyFields(SegmentInfo.getClassSchema(), "");
        fields.add(new Schema.Field("storage_class", Schema.create(Schema.Type.STRING), "S3 storage class.",
                "STANDARD"));
        Schema v2 = record(SegmentInfo.getClassSchema(), fields);
        GenericRecord written = copy(info, v2);
        written.put("storage_class", "GLACIER_IR");
        byte[] bytes = encode(v2, written);

        AvroSerde<SegmentInfo> serde = FathomSerdes.segmentInfo();
        SerializationException unknown = assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("fathom.catalog", bytes));
        assertTrue(unknown.getMessage().startsWith("Cannot decode SegmentInfo from topic fathom.catalog: the writer"
                + " schema is unknown to this reader"), unknown.getMessage());
        assertTrue(unknown.getMessage().endsWith("(fingerprint " + hex(SchemaNormalization.parsingFingerprint64(v2))
                + ")"), unknown.getMessage());

        serde.addWriterSchema(v2);
        assertEquals(info, serde.deserializer().deserialize("fathom.catalog", bytes));
    }

    @Test
    void shouldFillDefaultsWhenReadingRecordsOfAnOlderSchema() {
        SegmentChunk chunk = GoldenRecords.segmentChunk();
        Schema v0 = record(SegmentChunk.getClassSchema(), copyFields(SegmentChunk.getClassSchema(), "producer_id"));
        byte[] bytes = encode(v0, copy(chunk, v0));

        AvroSerde<SegmentChunk> serde = FathomSerdes.segmentChunk();
        serde.addWriterSchema(v0);
        SegmentChunk decoded = serde.deserializer().deserialize("fathom.segments", bytes);
        assertEquals(SegmentChunk.newBuilder(chunk).setProducerId("").build(), decoded);
    }

    private static List<Schema.Field> copyFields(Schema schema, String except) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : schema.getFields()) {
            if (!field.name().equals(except)) {
                fields.add(new Schema.Field(field, field.schema()));
            }
        }
        return fields;
    }

    private static Schema record(Schema current, List<Schema.Field> fields) {
        return Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
    }

    private static GenericRecord copy(org.apache.avro.specific.SpecificRecord source, Schema target) {
        GenericRecord out = new GenericData.Record(target);
        for (Schema.Field field : target.getFields()) {
            Schema.Field sourceField = source.getSchema().getField(field.name());
            if (sourceField != null) {
                out.put(field.name(), source.get(sourceField.pos()));
            }
        }
        return out;
    }

    private static byte[] encode(Schema writer, GenericRecord record) {
        try {
            return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(record).array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hex(long value) {
        return String.format(Locale.ROOT, "0x%016x", value);
    }
}
