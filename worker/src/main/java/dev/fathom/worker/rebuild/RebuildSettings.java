package dev.fathom.worker.rebuild;

import dev.fathom.schemas.TopicSettings;
import dev.fathom.schemas.Topics;
import java.time.Duration;
import java.util.Map;

/**
 * Where a rebuild publishes. Immutable and thread-safe.
 *
 * @param kafka           client settings shared by the admin client, the meta reader and the producer
 *                        ({@code bootstrap.servers}, security settings)
 * @param topics          the topic names (meta and catalog are written; all four are created when missing)
 * @param topicSettings   how missing topics are created (partitions must match the workers' topics)
 * @param transactionalId transactional id of the producer; a second rebuild with the same id fences the first
 * @param metaReadTimeout how long reading the meta topic to its end may take
 */
public record RebuildSettings(Map<String, Object> kafka, Topics topics, TopicSettings topicSettings,
                              String transactionalId, Duration metaReadTimeout) {

    /** The default transactional id. */
    public static final String DEFAULT_TRANSACTIONAL_ID = "fathom-rebuild-meta";

    public RebuildSettings {
        kafka = Map.copyOf(kafka);
    }
}
