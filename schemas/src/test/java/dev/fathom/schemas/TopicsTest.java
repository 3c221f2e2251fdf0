package dev.fathom.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicsTest {
    @Test
    void shouldUseDocumentedDefaults() {
        Topics topics = Topics.defaults();
        assertEquals(List.of("fathom.segments", "fathom.meta", "fathom.catalog", "fathom.dlq"), topics.all());
        TopicSettings settings = TopicSettings.defaults();
        assertEquals(12, settings.partitions());
        assertEquals(-1, settings.replicationFactor());
        assertEquals(Duration.ofDays(7).toMillis(), settings.segmentsRetentionMs());
        assertEquals(8 * 1024 * 1024, settings.maxMessageBytes());
    }

    @Test
    void shouldRejectIllegalOrDuplicateTopicNames() {
        IllegalArgumentException illegal = assertThrows(IllegalArgumentException.class,
                () -> new Topics("fathom segments", "m", "c", "d"));
        assertTrue(illegal.getMessage().startsWith("Invalid segments topic name 'fathom segments'"),
                illegal.getMessage());
        IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class,
                () -> new Topics("s", "m", "m", "d"));
        assertEquals("Fathom needs four distinct topics, got segments=s, meta=m, catalog=m, deadLetters=d",
                duplicate.getMessage());
    }

    @Test
    void shouldRejectOutOfRangeSettings() {
        assertThrows(IllegalArgumentException.class, () -> new TopicSettings(0, (short) -1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new TopicSettings(1, (short) 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new TopicSettings(1, (short) 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new TopicSettings(1, (short) 1, 1, 0));
        assertEquals(-1, new TopicSettings(1, (short) 1, -1, 1).segmentsRetentionMs());
    }

    @Test
    void shouldRequireDeletePolicyForSegmentsAndDeadLettersAndCompactionForMetaAndCatalog() {
        TopicSettings settings = new TopicSettings(6, (short) 3, 1234, 4096);
        List<TopicSpec> specs = TopicSpec.all(Topics.defaults(), settings);
        assertEquals(Map.of("cleanup.policy", "delete", "retention.ms", "1234", "max.message.bytes", "4096",
                "min.insync.replicas", "2"), specs.get(0).configs((short) 3));
        assertEquals(Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0", "min.insync.replicas", "1"),
                specs.get(1).configs((short) 1));
        assertEquals(Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0", "min.insync.replicas", "2"),
                specs.get(2).configs((short) 2));
        assertEquals(Map.of("cleanup.policy", "delete", "retention.ms", Long.toString(Duration.ofDays(30).toMillis()),
                "min.insync.replicas", "2"), specs.get(3).configs((short) 5));
        assertEquals(List.of(false, true, true, false),
                specs.stream().map(TopicSpec::partitionedLikeSegments).toList());
    }
}
