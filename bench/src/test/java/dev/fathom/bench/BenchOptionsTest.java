package dev.fathom.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.producer.agent.AgentConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void defaultsMeasureADefaultDeploymentAfterAWarmUp() {
        BenchOptions o = BenchOptions.parse(new String[0]);
        assertEquals(Duration.ofSeconds(60), o.warmup());
        assertEquals(AgentConfig.SEGMENT_MAX_BYTES_DEFAULT, (long) o.segmentMib() << 20);
        assertEquals(Duration.ofSeconds(30), o.duration());
    }

    @Test
    void parsesEveryOption() {
        BenchOptions o = BenchOptions.parse(new String[] {"--duration", "500ms", "--warmup", "0s", "--segment-mib",
            "1", "--restore-mib", "1024", "--many-namespaces", "--idle-namespaces", "7", "--config",
            "bench.properties"});
        assertEquals(Duration.ofMillis(500), o.duration());
        assertTrue(o.warmup().isZero());
        assertEquals(1, o.segmentMib());
        assertEquals(1024, o.restoreMib());
        assertTrue(o.manyNamespaces());
        assertEquals(7, o.idleNamespaces());
        assertEquals(java.nio.file.Path.of("bench.properties"), o.config());
        assertEquals(null, BenchOptions.parse(new String[0]).config(), "no --config: the in-JVM DevStack");
    }

    @Test
    void namesTheOptionThatIsWrong() {
        IllegalArgumentException warmup = assertThrows(IllegalArgumentException.class,
                () -> BenchOptions.parse(new String[] {"--warmup", "soon"}));
        assertEquals("Invalid --warmup 'soon': use e.g. 500ms, 30s or 2m", warmup.getMessage());
        IllegalArgumentException segment = assertThrows(IllegalArgumentException.class,
                () -> BenchOptions.parse(new String[] {"--segment-mib", "0"}));
        assertEquals("Invalid --segment-mib '0': expected a positive whole number", segment.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> BenchOptions.parse(new String[] {"--segments"}));
        assertTrue(unknown.getMessage().contains("--segment-mib"), unknown.getMessage());
    }
}
