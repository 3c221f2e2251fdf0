package dev.fathom.bench.micro;

import dev.fathom.schemas.format.CompactedSegmentWriter;
import dev.fathom.schemas.format.PageIndex;
import dev.fathom.schemas.format.PageLocation;
import dev.fathom.testkit.TestSegments;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The read path's per-segment and per-page costs: {@link PageIndex#read} verifies and parses a fetched {@code .idx}
 * (restore planning does it once per segment), {@link PageIndex#locate} finds one page in it (every
 * {@code readPage}). The index holds {@code pages} distinct pages; lookups hit and miss half and half.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PageIndexBenchmark {

    @Param({"4096"})
    public int pages;

    private ByteBuffer indexBytes;
    private PageIndex index;
    private int[] probes;
    private int next;

    @Setup
    public void setUp() {
        // Each page written once (maxPageNo far above the frame count), small pages keep the setup cheap.
        byte[] idx = CompactedSegmentWriter.write(
                TestSegments.random(1, pages, 512, pages * 16, 1_700_000_000_000L, new Random(3))).index();
        indexBytes = ByteBuffer.wrap(idx);
        index = PageIndex.read(indexBytes, "bench");
        Random random = new Random(5);
        probes = new int[1024];
        for (int i = 0; i < probes.length; i++) {
            probes[i] = 1 + random.nextInt(pages * 16);
        }
    }

    @Benchmark
    public PageIndex readIndex() {
        return PageIndex.read(indexBytes, "bench");
    }

    @Benchmark
    public Optional<PageLocation> locatePage() {
        next = (next + 1) & (probes.length - 1);
        return index.locate(probes[next]);
    }
}
