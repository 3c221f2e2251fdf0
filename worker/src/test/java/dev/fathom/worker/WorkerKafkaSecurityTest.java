package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.worker.meta.MetaServiceSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * The worker's Kafka connection security reaches each of its clients: the segments consumer, the meta loader, the
 * transactional producer, the admin client and every client Kafka Streams builds; and the allow-list keys parse.
 */
class WorkerKafkaSecurityTest {

    private static final String SECRET = "tr0ub4dor&3-never-printed";

    private static Map<String, Object> tls() {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", "broker-1:9093");
        props.put("worker.id", "w1");
        props.put("storage.profile.default.bucket", "fathom");
        props.put("kafka.security.protocol", "SASL_SSL");
        props.put("kafka.sasl.mechanism", "SCRAM-SHA-512");
        props.put("kafka.sasl.username", "fathom-worker");
        props.put("kafka.sasl.password", SECRET);
        props.put("kafka.ssl.truststore.location", "/etc/fathom/truststore.p12");
        props.put("kafka.ssl.truststore.password", SECRET);
        props.put("kafka.ssl.endpoint.identification.algorithm", "");
        return props;
    }

    @Test
    void shouldApplyTheSecuritySettingsToEveryWorkerClient() {
        WorkerConfig config = new WorkerConfig(tls());
        List<Map<String, Object>> clients = List.of(KafkaClientSettings.segmentsConsumer(config),
                KafkaClientSettings.metaConsumer(config), KafkaClientSettings.producer(config),
                KafkaClientSettings.admin(config));
        for (Map<String, Object> client : clients) {
            assertSecured(client);
        }
    }

    @Test
    void shouldApplyTheSecuritySettingsToEveryKafkaStreamsClient() {
        WorkerConfig config = new WorkerConfig(tls());
        Map<String, Object> props = new HashMap<>(MetaServiceSettings.from(config).streamsOverrides());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "fathom-workers-meta");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        StreamsConfig streams = new StreamsConfig(props);

        assertSecured(streams.getMainConsumerConfigs("fathom-workers-meta", "c", 0));
        assertSecured(streams.getRestoreConsumerConfigs("c"));
        assertSecured(streams.getGlobalConsumerConfigs("c"));
        assertSecured(streams.getProducerConfigs("c"));
        assertSecured(streams.getAdminConfigs("c"));
    }

    @Test
    void shouldNeverPrintTheSecretsInAConfigDump() {
        WorkerConfig config = new WorkerConfig(tls());
        assertFalse(config.values().toString().contains(SECRET));
        assertFalse(config.toString().contains(SECRET));
        assertFalse(KafkaClientSettings.producer(config).toString().contains(SECRET));
        assertEquals("SASL_SSL (SCRAM-SHA-512 as fathom-worker)", config.kafkaSecurity());
    }

    @Test
    void shouldReadTheNamespaceAllowListOfEachProfile() {
        Map<String, Object> props = tls();
        props.put("storage.profiles", "default,tenants");
        props.put("storage.profile.tenants.bucket", "tenants");
        props.put("storage.profile.tenants.allowed.namespaces", "tenant-a.*, shared");
        WorkerConfig config = new WorkerConfig(props);

        NamespaceAllowList tenants = config.allowedNamespaces().get("tenants");
        assertEquals(List.of("tenant-a.*", "shared"), tenants.globs());
        assertTrue(config.allowedNamespaces().get("default").allowsAll());
        assertTrue(tenants.allows("tenant-a.orders"));
        assertTrue(tenants.allows("shared"));
        assertFalse(tenants.allows("tenant-b.orders"));
        assertFalse(tenants.allows("tenant-a"), "the dot is literal");
        assertFalse(tenants.allows("sharedX"), "a glob matches the whole name");
        assertTrue(new NamespaceAllowList("p", List.of("db-??")).allows("db-07"));
        assertFalse(new NamespaceAllowList("p", List.of("db-??")).allows("db-7"));
    }

    @Test
    void shouldRefuseAnAllowListThatCanMatchNothingOrHoldsForeignCharacters() {
        for (String bad : List.of("", "tenant/a*", "tenant-[ab]", "ü*")) {
            Map<String, Object> props = tls();
            props.put("storage.profile.default.allowed.namespaces", bad);
            ConfigException e = assertThrows(ConfigException.class, () -> new WorkerConfig(props), bad);
            assertTrue(e.getMessage().contains("storage.profile.default.allowed.namespaces"), e.getMessage());
        }
    }

    private static void assertSecured(Map<String, Object> client) {
        assertEquals("SASL_SSL", client.get("security.protocol"), client.toString());
        assertEquals("SCRAM-SHA-512", client.get("sasl.mechanism"));
        assertEquals("/etc/fathom/truststore.p12", client.get("ssl.truststore.location"));
        assertEquals("", client.get("ssl.endpoint.identification.algorithm"));
        Object jaas = client.get("sasl.jaas.config");
        String line = jaas instanceof Password p ? p.value() : String.valueOf(jaas);
        assertTrue(line.contains("ScramLoginModule required username=\"fathom-worker\" password=\"" + SECRET + "\""),
                "JAAS line for the client");
        assertFalse(client.toString().contains(SECRET), "a printed client config must not show the password");
    }
}
