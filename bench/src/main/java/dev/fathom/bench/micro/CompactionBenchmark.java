package dev.fathom.bench.micro;

import dev.fathom.schemas.format.CompactedSegmentObjects;
import dev.fathom.schemas.format.CompactedSegmentWriter;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.TestSegments;
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
 * What the worker does to every segment before uploading it: keep the newest version of each page, write the
 * {@code .seg} and {@code .idx} objects and their CRC32Cs. {@code hotPages} is how many distinct pages the frames
 * write: 64 means most frames rewrite a page (high compaction), 1 000 000 means almost every frame is a new page.
 * Throughput in segments per second; MiB/s = ops/s × frames × pageSize / 2^20.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CompactionBenchmark {

    @Param({"256"})
    public int frames;

    @Param({"4096"})
    public int pageSize;

    @Param({"64", "1000000"})
    public int hotPages;

    private SealedSegment segment;

    @Setup
    public void setUp() {
        segment = TestSegments.random(1, frames, pageSize, hotPages, 1_700_000_000_000L, new Random(7));
    }

    @Benchmark
    public CompactedSegmentObjects compact() {
        return CompactedSegmentWriter.write(segment);
    }
}
