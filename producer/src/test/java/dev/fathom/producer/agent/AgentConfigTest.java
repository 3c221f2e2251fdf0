package dev.fathom.producer.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

    private static Map<String, Object> minimal() {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", "localhost:9092");
        props.put("node.id", "n1");
        props.put("state.dir", "/var/lib/fathom-agent");
        props.put("databases", "/data/orders.db, /data/eu.users.sqlite");
        return props;
    }

    @Test
    void shouldDeriveNamespacesFromFileNamesAndPassStorageKeysThrough() {
        AgentConfig config = new AgentConfig(minimal());

        assertEquals(List.of(Path.of("/data/orders.db"), Path.of("/data/eu.users.sqlite")), config.databases());
        assertEquals("orders", AgentConfig.namespaceOf(Path.of("/data/orders.db")));
        assertEquals("eu.users", AgentConfig.namespaceOf(Path.of("/data/eu.users.sqlite")));
        assertEquals("plain", AgentConfig.namespaceOf(Path.of("plain")));
        assertEquals(new SealPolicy(4L * 1024 * 1024, Duration.ofSeconds(1)), config.sealPolicy());
        assertEquals("default", config.storageProfile());
        assertEquals("n1", config.storageConfig().nodeId(), "storage keys pass through");
    }

    @Test
    void shouldNameTheFileWhoseNameIsNoNamespace() {
        Map<String, Object> props = minimal();
        props.put("databases", "/data/bad name!.db");

        ConfigException e = assertThrows(ConfigException.class, () -> new AgentConfig(props));
        assertTrue(e.getMessage().contains("/data/bad name!.db"), e.getMessage());
    }

    @Test
    void shouldRefuseTwoDatabasesWithOneNamespaceAndAnAgentWithNothingToShip() {
        Map<String, Object> clash = minimal();
        clash.put("databases", "/a/orders.db,/b/orders.sqlite");
        assertTrue(assertThrows(ConfigException.class, () -> new AgentConfig(clash)).getMessage()
                .contains("both map to namespace 'orders'"));

        Map<String, Object> empty = minimal();
        empty.remove("databases");
        assertThrows(ConfigException.class, () -> new AgentConfig(empty));
    }
}
