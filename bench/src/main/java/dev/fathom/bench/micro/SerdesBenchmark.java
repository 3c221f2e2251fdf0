package dev.fathom.bench.micro;

import dev.fathom.schemas.DurableFrame;
import dev.fathom.schemas.FathomSerdes;
import dev.fathom.schemas.SegmentChunk;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.schemas.format.SegmentFrames;
import dev.fathom.testkit.TestSegments;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Avro single-object serdes on the hot topics: a 1 MiB {@link SegmentChunk} (256 frames of 4 KiB) as nodes
 * publish and workers read it, and the small {@link DurableFrame} meta record every job commits and every node's
 * durability watcher reads. Throughput in records per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SerdesBenchmark {

    private static final String TOPIC = "fathom.segments";

    private final Serializer<SegmentChunk> chunkSerializer = FathomSerdes.segmentChunk().serializer();
    private final Deserializer<SegmentChunk> chunkDeserializer = FathomSerdes.segmentChunk().deserializer();
    private final Serializer<DurableFrame> frameSerializer = FathomSerdes.durableFrame().serializer();
    private final Deserializer<DurableFrame> frameDeserializer = FathomSerdes.durableFrame().deserializer();
    private SegmentChunk chunk;
    private byte[] chunkBytes;
    private DurableFrame durable;
    private byte[] durableBytes;

    @Setup
    public void setUp() {
        SealedSegment s = TestSegments.random(1, 256, 4096, 100_000, 1_700_000_000_000L, new Random(9));
        byte[] payload = SegmentFrames.encode(s.frames());
        chunk = SegmentChunk.newBuilder().setNamespace("bench-db").setProfile("default")
                .setSegmentId(s.id().format()).setStartFrameNo(s.startFrameNo()).setEndFrameNo(s.endFrameNo())
                .setSealedAtMs(s.sealedAtMs()).setPageSize(s.pageSize()).setSizeAfter(s.sizeAfter())
                .setChunkIndex(0).setChunkCount(1).setFrames(ByteBuffer.wrap(payload))
                .setFramesCrc32c(0).setSegmentCrc32c(0).setProducerId("bench-node").build();
        chunkBytes = chunkSerializer.serialize(TOPIC, chunk);
        durable = DurableFrame.newBuilder().setNamespace("bench-db").setDurableFrameNo(s.endFrameNo())
                .setLastSegmentId(s.id().format()).setLastStartFrameNo(s.startFrameNo())
                .setLastSealedAtMs(s.sealedAtMs()).setSizeAfter(s.sizeAfter()).setPageSize(s.pageSize())
                .setProfile("default").setUpdatedAtMs(1_700_000_000_000L).build();
        durableBytes = frameSerializer.serialize("fathom.meta", durable);
    }

    @Benchmark
    public byte[] serializeChunk() {
        chunk.getFrames().rewind(); // the serializer reads the buffer from its position
        return chunkSerializer.serialize(TOPIC, chunk);
    }

    @Benchmark
    public SegmentChunk deserializeChunk() {
        return chunkDeserializer.deserialize(TOPIC, chunkBytes);
    }

    @Benchmark
    public byte[] serializeDurableFrame() {
        return frameSerializer.serialize("fathom.meta", durable);
    }

    @Benchmark
    public DurableFrame deserializeDurableFrame() {
        return frameDeserializer.deserialize("fathom.meta", durableBytes);
    }
}
