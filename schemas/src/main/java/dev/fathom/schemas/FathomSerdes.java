package dev.fathom.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;

/**
 * Factories of the serdes for Fathom's topic values. Stateless and thread-safe; every call returns a new serde, so a
 * caller that registers extra writer schemas does not affect others.
 *
 * <p>When a record schema evolves, the previous versions' schemas are registered here with
 * {@link AvroSerde#addWriterSchema} so records already in the topics stay readable (see the compat golden tests).
 */
public final class FathomSerdes {
    /** DeadLetter as written by Fathom before the reason codes PROFILE_NOT_ALLOWED and UNKNOWN existed. */
    private static final Schema DEAD_LETTER_V1 = previous("DeadLetter-v1.avsc");

    private FathomSerdes() {
    }

    /** Returns a serde for {@link SegmentChunk} values of the segments topic. */
    public static AvroSerde<SegmentChunk> segmentChunk() {
        return new AvroSerde<>(SegmentChunk.getClassSchema());
    }

    /** Returns a serde for {@link DurableFrame} values of the meta topic. */
    public static AvroSerde<DurableFrame> durableFrame() {
        return new AvroSerde<>(DurableFrame.getClassSchema());
    }

    /** Returns a serde for {@link SegmentInfo} values of the catalog topic. */
    public static AvroSerde<SegmentInfo> segmentInfo() {
        return new AvroSerde<>(SegmentInfo.getClassSchema());
    }

    /**
     * Returns a serde for {@link DeadLetter} values of the dead-letter topic; it also reads letters written with
     * schema v1 (before PROFILE_NOT_ALLOWED and UNKNOWN were added to the reason codes).
     */
    public static AvroSerde<DeadLetter> deadLetter() {
        AvroSerde<DeadLetter> serde = new AvroSerde<>(DeadLetter.getClassSchema());
        serde.addWriterSchema(DEAD_LETTER_V1);
        return serde;
    }

    private static Schema previous(String resource) {
        try (InputStream in = FathomSerdes.class.getResourceAsStream("compat/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("Schema resource dev/fathom/schemas/compat/" + resource
                        + " is missing from the schemas jar");
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read schema resource compat/" + resource, e);
        }
    }
}
