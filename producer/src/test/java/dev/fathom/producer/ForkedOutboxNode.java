package dev.fathom.producer;

import dev.fathom.schemas.format.SealedSegment;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A database node in a JVM of its own, for {@code OutboxNodeKillIT}: stores a chain of segments through an outbox as
 * fast as it can and prints {@code STORED <end frame>} after each store() returned, until it is killed.
 * Arguments: bootstrapServers nodeId topicPrefix outboxDir segmentCount seed.
 */
public final class ForkedOutboxNode {

    private ForkedOutboxNode() {
    }

    public static void main(String[] args) {
        String prefix = args[2];
        Map<String, Object> props = new HashMap<>();
        props.put(FathomStorageConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(FathomStorageConfig.NODE_ID_CONFIG, args[1]);
        props.put(FathomStorageConfig.TOPIC_SEGMENTS_CONFIG, prefix + ".segments");
        props.put(FathomStorageConfig.TOPIC_META_CONFIG, prefix + ".meta");
        props.put(FathomStorageConfig.TOPIC_CATALOG_CONFIG, prefix + ".catalog");
        props.put(FathomStorageConfig.TOPIC_DLQ_CONFIG, prefix + ".dlq");
        props.put(FathomStorageConfig.TOPIC_PARTITIONS_CONFIG, 3);
        props.put(FathomStorageConfig.OUTBOX_DIR_CONFIG, args[3]);
        Iterator<SealedSegment> chain = OutboxNodeKillIT.chain(Long.parseLong(args[5]));
        int count = Integer.parseInt(args[4]);
        FathomStorage storage = FathomStorage.start(new FathomStorageConfig(props));
        System.out.println("STARTED");
        for (int i = 0; i < count; i++) {
            SealedSegment segment = chain.next();
            storage.store("db1", segment, "default", (durable, failure) -> { });
            System.out.println("STORED " + segment.endFrameNo());
        }
        System.out.println("ALL STORED");
        storage.forceShutdown();
        System.exit(0);
    }
}
