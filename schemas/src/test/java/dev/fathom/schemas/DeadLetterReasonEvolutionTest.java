package dev.fathom.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/**
 * The reason-code enum has a default, so a letter carrying a reason a newer worker added decodes as UNKNOWN instead
 * of failing: `fathom dlq list` of an older version keeps working during a rolling upgrade.
 */
class DeadLetterReasonEvolutionTest {

    @Test
    void shouldReadAReasonAddedByANewerWriterAsUnknown() {
        Schema current = DeadLetter.getClassSchema();
        Schema reasons = current.getField("reason_code").schema();
        List<String> symbols = new ArrayList<>(reasons.getEnumSymbols());
        symbols.add("FROM_THE_FUTURE");
        Schema newerReasons = Schema.createEnum(reasons.getName(), reasons.getDoc(), reasons.getNamespace(), symbols,
                "UNKNOWN");
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : current.getFields()) {
            Schema type = field.name().equals("reason_code") ? newerReasons : field.schema();
            fields.add(new Schema.Field(field, type));
        }
        Schema newer = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
        DeadLetter letter = GoldenRecords.deadLetter();
        GenericRecord written = new GenericData.Record(newer);
        for (Schema.Field field : newer.getFields()) {
            written.put(field.name(), letter.get(current.getField(field.name()).pos()));
        }
        written.put("reason_code", new GenericData.EnumSymbol(newerReasons, "FROM_THE_FUTURE"));

        AvroSerde<DeadLetter> serde = FathomSerdes.deadLetter();
        serde.addWriterSchema(newer);
        DeadLetter read = serde.deserializer().deserialize("fathom.dlq", encode(newer, written));

        assertEquals(DeadLetterReason.UNKNOWN, read.getReasonCode());
        assertEquals(letter.getReason(), read.getReason());
    }

    private static byte[] encode(Schema writer, GenericRecord record) {
        try {
            return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(record).array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
