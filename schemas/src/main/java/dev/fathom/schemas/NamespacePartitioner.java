package dev.fathom.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Computes the partition a namespace's records land in, exactly as Kafka's default producer partitioner does for a
 * String key. Stateless and thread-safe.
 *
 * <p>Segments are produced with the namespace as key (default partitioner); meta and catalog records are produced
 * with an explicit partition from here, so a namespace's segments, durable frame and catalog entries share one
 * partition number and one worker owns all three.
 */
public final class NamespacePartitioner {
    private NamespacePartitioner() {
    }

    /**
     * Returns {@code toPositive(murmur2(utf8(namespace))) % numPartitions}.
     *
     * @throws IllegalArgumentException when {@code numPartitions < 1}
     * @throws NullPointerException when {@code namespace} is null
     */
    public static int partitionFor(String namespace, int numPartitions) {
        if (numPartitions < 1) {
            throw new IllegalArgumentException("Cannot partition namespace " + Namespace.quote(namespace)
                    + " over " + numPartitions + " partitions: need at least 1");
        }
        byte[] key = namespace.getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(key)) % numPartitions;
    }
}
