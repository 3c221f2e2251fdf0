package dev.fathom.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs every JMH microbenchmark once, briefly and in this JVM, so the generated harness and setups cannot rot. */
class MicroBenchmarksSmokeIT {

    @Test
    void everyMicroBenchmarkRunsAndReportsAPositiveScore() throws Exception {
        Options options = new OptionsBuilder()
                .include("dev\\.fathom\\.bench\\.micro\\..*")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(200))
                .shouldFailOnError(true)
                .build();

        Collection<RunResult> results = new Runner(options).run();

        Set<String> ran = new TreeSet<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            ran.add(name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1));
            double score = r.getPrimaryResult().getScore();
            assertTrue(score > 0, name + " " + r.getParams() + " scored " + score);
        }
        assertEquals(Set.of("CompactionBenchmark.compact", "PageIndexBenchmark.readIndex",
                "PageIndexBenchmark.locatePage", "SerdesBenchmark.serializeChunk", "SerdesBenchmark.deserializeChunk",
                "SerdesBenchmark.serializeDurableFrame", "SerdesBenchmark.deserializeDurableFrame"), ran);
    }
}
