package dev.fathom.schemas;

/**
 * Factories of the serdes for Fathom's topic values. Stateless and thread-safe; every call returns a new serde, so a
 * caller that registers extra writer schemas does not affect others.
 *
 * <p>When a record schema evolves, the previous versions' schemas are registered here with
 * {@link AvroSerde#addWriterSchema} so records already in the topics stay readable (see the compat golden tests).
 */
public final class FathomSerdes {
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

    /** Returns a serde for {@link DeadLetter} values of the dead-letter topic. */
    public static AvroSerde<DeadLetter> deadLetter() {
        return new AvroSerde<>(DeadLetter.getClassSchema());
    }
}
