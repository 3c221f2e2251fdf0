package dev.fathom.worker.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fathom.schemas.Topics;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class MetaStreamsPropertiesTest {

    private static MetaServiceSettings settings(Map<String, Object> overrides) {
        return new MetaServiceSettings("broker:9092", "fathom-workers", "worker-1", Topics.defaults(), "0.0.0.0", 0,
                "worker-1.local", Path.of("/var/lib/fathom"), overrides, MetaServiceSettings.DEFAULT_QUERY_TIMEOUT);
    }

    @Test
    void shouldAdvertiseTheBoundPortAndReadOnlyCommittedRecords() {
        Properties props = MetaStreamsProperties.build(settings(Map.of()), 43210);

        assertEquals("fathom-workers-meta", props.get("application.id"));
        assertEquals("worker-1.local:43210", props.get("application.server"));
        assertEquals(Path.of("/var/lib/fathom", "streams").toString(), props.get("state.dir"));
        assertEquals("read_committed", props.get("consumer.isolation.level"));
        assertEquals("at_least_once", props.get("processing.guarantee"));
        assertEquals(100, props.get("commit.interval.ms"));
        assertEquals(0, props.get("statestore.cache.max.bytes"));
        assertEquals(-1, props.get("replication.factor"));
    }

    @Test
    void shouldApplyStreamsOverridesLast() {
        Properties props = MetaStreamsProperties.build(
                settings(Map.of("replication.factor", 3, "num.stream.threads", 2)), 1);

        assertEquals(3, props.get("replication.factor"));
        assertEquals(2, props.get("num.stream.threads"));
    }
}
