package dev.fathom.worker;

import dev.fathom.schemas.Topics;

/**
 * The topic names and the partition counts found at startup. The segments, meta and catalog topics have the same
 * partition count (checked by the topic provisioner), but each is kept so records use the actual count of the topic
 * they go to. Immutable and thread-safe.
 *
 * @param topics topic names
 * @param segmentsPartitions partitions of the segments topic
 * @param metaPartitions partitions of the meta topic
 * @param catalogPartitions partitions of the catalog topic
 */
record TopicLayout(Topics topics, int segmentsPartitions, int metaPartitions, int catalogPartitions) {
}
