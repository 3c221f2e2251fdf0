package dev.fathom.schemas;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for one generated Avro record type, in Avro single-object encoding: {@code C3 01}, the 8-byte
 * little-endian CRC-64-AVRO fingerprint of the writer schema, then the binary body. No schema registry: the reader
 * resolves older or newer writer schemas registered with {@link #addWriterSchema(Schema)}.
 *
 * <p>Thread-safe: Avro's message encoder and decoder keep per-thread buffers, and writer schemas live in concurrent
 * maps, so one instance may serve any number of producers and consumers. {@code null} maps to {@code null} both ways
 * (tombstones on the compacted topics).
 *
 * @param <T> the generated record class
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
    /** First two bytes of every single-object encoded record. */
    static final byte[] MAGIC = {(byte) 0xC3, 0x01};
    /** Magic plus fingerprint. */
    static final int HEADER_LENGTH = 10;

    static {
        // Avro >= 1.11.4 refuses to instantiate classes it does not trust (CVE-2024-47561); trusting our own generated
        // package here, once, means no deployment needs -Dorg.apache.avro.SERIALIZABLE_PACKAGES.
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(
                ClassSecurityValidator.getGlobal(), AvroSerde::isFathomSchemaClass));
    }

    private final Schema schema;
    private final long fingerprint;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;
    private final Set<Long> knownFingerprints = ConcurrentHashMap.newKeySet();
    private final Serializer<T> serializer = this::serialize;
    private final Deserializer<T> deserializer = this::deserialize;

    /**
     * Creates the serde for records of {@code schema}, which must be the schema of a generated class in this package.
     *
     * @throws IllegalArgumentException when the schema is not a record schema
     */
    public AvroSerde(Schema schema) {
        Objects.requireNonNull(schema, "schema");
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("AvroSerde needs a record schema, got " + schema.getType());
        }
        SpecificData model = SpecificData.getForSchema(schema);
        this.schema = schema;
        this.fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema);
        knownFingerprints.add(fingerprint);
    }

    /** Returns the reader (and writer) schema of this serde. */
    public Schema schema() {
        return schema;
    }

    /** Returns the CRC-64-AVRO fingerprint this serde writes into every record header. */
    public long fingerprint() {
        return fingerprint;
    }

    /**
     * Lets the deserializer read records written with {@code writerSchema} (an older or newer version of this record),
     * resolving them to the current schema with Avro's schema-resolution rules. Idempotent.
     */
    public void addWriterSchema(Schema writerSchema) {
        decoder.addSchema(writerSchema);
        knownFingerprints.add(SchemaNormalization.parsingFingerprint64(writerSchema));
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    /**
     * Encodes {@code record}; {@code null} gives {@code null}.
     *
     * @throws SerializationException naming the record type and topic when the record cannot be encoded
     */
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        try {
            return toArray(encoder.encode(record));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot encode " + schema.getName() + " for topic " + topic + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Decodes {@code data}; {@code null} gives {@code null}.
     *
     * @throws SerializationException naming the record type, topic, what was wrong and the fingerprint found
     */
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return decoder.decode(data);
        } catch (MissingSchemaException e) {
            throw decodeFailure(topic, data, "the writer schema is unknown to this reader (known fingerprints: "
                    + knownFingerprintsText() + "); register it with addWriterSchema", e);
        } catch (BadHeaderException e) {
            throw decodeFailure(topic, data, "not an Avro single-object record (" + e.getMessage() + ")", e);
        } catch (IOException | RuntimeException e) {
            throw decodeFailure(topic, data, "corrupt or truncated body of " + data.length + " bytes ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
    }

    /** Returns the writer fingerprint in a single-object header, or null when {@code data} has no such header. */
    static Long headerFingerprint(byte[] data) {
        if (data.length < HEADER_LENGTH || !Arrays.equals(data, 0, 2, MAGIC, 0, 2)) {
            return null;
        }
        long value = 0;
        for (int i = HEADER_LENGTH - 1; i >= 2; i--) {
            value = (value << 8) | (data[i] & 0xFF);
        }
        return value;
    }

    private SerializationException decodeFailure(String topic, byte[] data, String detail, Exception cause) {
        Long found = headerFingerprint(data);
        String where = found == null
                ? "no fingerprint: " + data.length + " bytes starting " + firstBytes(data)
                : "fingerprint " + hex(found);
        return new SerializationException("Cannot decode " + schema.getName() + " from topic " + topic + ": " + detail
                + " (" + where + ")", cause);
    }

    private String knownFingerprintsText() {
        return new TreeSet<>(knownFingerprints).stream().map(AvroSerde::hex).collect(Collectors.joining(", "));
    }

    private static String hex(long value) {
        return String.format(Locale.ROOT, "0x%016x", value);
    }

    private static String firstBytes(byte[] data) {
        StringBuilder out = new StringBuilder("0x");
        for (int i = 0; i < Math.min(data.length, 4); i++) {
            out.append(String.format(Locale.ROOT, "%02x", data[i]));
        }
        return data.length == 0 ? "(empty)" : out.toString();
    }

    private static byte[] toArray(ByteBuffer buffer) {
        if (buffer.hasArray() && buffer.arrayOffset() == 0 && buffer.position() == 0
                && buffer.remaining() == buffer.array().length) {
            return buffer.array();
        }
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    private static boolean isFathomSchemaClass(Class<?> type) {
        String pkg = type.getPackageName();
        return pkg.equals("dev.fathom.schemas") || pkg.startsWith("dev.fathom.schemas.");
    }

    @Override
    public String toString() {
        return "AvroSerde[" + schema.getFullName() + ", fingerprint " + hex(fingerprint) + "]";
    }
}
