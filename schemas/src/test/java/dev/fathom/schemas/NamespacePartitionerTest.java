package dev.fathom.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class NamespacePartitionerTest {
    @Test
    void shouldPickThePartitionKafkasDefaultPartitionerPicksForTheStringKey() {
        Random random = new Random(42);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
        for (int i = 0; i < 2_000; i++) {
            StringBuilder name = new StringBuilder();
            int length = 1 + random.nextInt(128);
            for (int j = 0; j < length; j++) {
                name.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            for (int partitions : new int[] {1, 2, 3, 12, 50, 1000}) {
                // What StringSerializer produces for the record key.
                byte[] serializedKey = name.toString().getBytes(StandardCharsets.UTF_8);
                assertEquals(BuiltInPartitioner.partitionForKey(serializedKey, partitions),
                        NamespacePartitioner.partitionFor(name.toString(), partitions), name + " over " + partitions);
            }
        }
    }

    @Test
    void shouldBeStableAcrossReleases() {
        // Pinned values: a change here would move existing namespaces' meta and catalog records to other partitions.
        assertEquals(6, NamespacePartitioner.partitionFor("db1", 12));
        assertEquals(11, NamespacePartitioner.partitionFor("golden.db-1_v1", 12));
        assertEquals(4, NamespacePartitioner.partitionFor("a", 12));
        assertEquals(0, NamespacePartitioner.partitionFor("anything", 1));
    }

    @Test
    void shouldRejectNonPositivePartitionCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NamespacePartitioner.partitionFor("db1", 0));
        assertEquals("Cannot partition namespace 'db1' over 0 partitions: need at least 1", e.getMessage());
    }
}
