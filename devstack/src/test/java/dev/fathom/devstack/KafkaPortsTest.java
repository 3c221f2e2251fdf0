package dev.fathom.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaPortsTest {

    @TempDir
    Path dir;

    @Test
    void shouldReusePersistedPortsOnTheSameDataDir() {
        KafkaPorts first = KafkaPorts.resolve(dir, 3, 0);
        KafkaPorts second = KafkaPorts.resolve(dir, 3, 0);
        assertEquals(first, second);
        assertEquals(6, first.broker().stream().distinct().count() + first.controller().stream().distinct().count());
        assertNotEquals(first.broker().get(0), first.controller().get(0));
    }

    @Test
    void shouldUseFixedPortsWhenGivenAndPersistThem() {
        KafkaPorts fixed = KafkaPorts.resolve(dir, 2, 19092);
        assertEquals(List.of(19092, 19094), fixed.broker());
        assertEquals(List.of(19093, 19095), fixed.controller());
        assertEquals("localhost:19092,localhost:19094", fixed.bootstrapServers());
        assertEquals("0@localhost:19093,1@localhost:19095", fixed.voters());
        assertEquals(fixed, KafkaPorts.resolve(dir, 2, 0));
    }

    @Test
    void shouldRejectADataDirMadeForAnotherNodeCount() {
        KafkaPorts.resolve(dir, 1, 0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KafkaPorts.resolve(dir, 3, 0));
        assertEquals(true, e.getMessage().contains("1 node(s)"), e.getMessage());
    }
}
