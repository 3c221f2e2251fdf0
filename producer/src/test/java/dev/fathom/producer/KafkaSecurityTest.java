package dev.fathom.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.producer.agent.AgentConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The kafka.security/sasl/ssl keys reach every client of a FathomStorage, typed, and secrets are never printed. */
class KafkaSecurityTest {

    private static final String SECRET = "pa\"ss\\w0rd-never-printed";

    private static Map<String, Object> minimal() {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", "broker-1:9093");
        props.put("node.id", "node-1");
        return props;
    }

    private static Map<String, Object> tls() {
        Map<String, Object> props = minimal();
        props.put("kafka.security.protocol", "ssl");
        props.put("kafka.ssl.truststore.location", "/etc/fathom/truststore.p12");
        props.put("kafka.ssl.truststore.password", SECRET);
        props.put("kafka.ssl.truststore.type", "PKCS12");
        props.put("kafka.ssl.keystore.location", "/etc/fathom/node.p12");
        props.put("kafka.ssl.keystore.password", SECRET);
        props.put("kafka.ssl.cipher.suites", "TLS_AES_256_GCM_SHA384");
        return props;
    }

    @Test
    void shouldApplyTlsSettingsToTheProducerTheConsumerAndTheAdminClient() {
        FathomStorageConfig config = new FathomStorageConfig(tls());
        List<Map<String, Object>> clients = List.of(KafkaClientSettings.producer(config),
                KafkaClientSettings.consumer(config), KafkaClientSettings.admin(config));
        for (Map<String, Object> client : clients) {
            assertEquals("SSL", client.get("security.protocol"), client.toString());
            assertEquals("/etc/fathom/truststore.p12", client.get("ssl.truststore.location"));
            assertEquals("PKCS12", client.get("ssl.truststore.type"));
            assertEquals("/etc/fathom/node.p12", client.get("ssl.keystore.location"));
            assertEquals(new Password(SECRET), client.get("ssl.truststore.password"));
            assertEquals("TLS_AES_256_GCM_SHA384", client.get("ssl.cipher.suites"), "undeclared ssl.* passes through");
            assertEquals("https", client.get("ssl.endpoint.identification.algorithm"));
            assertFalse(client.toString().contains(SECRET), "a printed client config must not show the password");
        }
    }

    @Test
    void shouldBeAcceptedByTheKafkaClientsOwnConfigClasses() {
        FathomStorageConfig config = new FathomStorageConfig(tls());
        Map<String, Object> producer = new HashMap<>(KafkaClientSettings.producer(config));
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        Map<String, Object> consumer = new HashMap<>(KafkaClientSettings.consumer(config));
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<AbstractConfig> parsed = List.of(new ProducerConfig(producer), new ConsumerConfig(consumer),
                new AdminClientConfig(KafkaClientSettings.admin(config)));
        for (AbstractConfig client : parsed) {
            assertEquals("SSL", client.getString("security.protocol"));
            assertEquals(SECRET, client.getPassword("ssl.keystore.password").value());
            assertFalse(client.toString().contains(SECRET));
        }
    }

    @Test
    void shouldBuildTheScramLoginLineFromUserNameAndPassword() {
        Map<String, Object> props = minimal();
        props.put("kafka.security.protocol", "SASL_SSL");
        props.put("kafka.sasl.mechanism", "scram-sha-512");
        props.put("kafka.sasl.username", "node-1");
        props.put("kafka.sasl.password", SECRET);
        FathomStorageConfig config = new FathomStorageConfig(props);

        Map<String, Object> producer = KafkaClientSettings.producer(config);
        assertEquals("SCRAM-SHA-512", producer.get("sasl.mechanism"));
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"node-1\""
                + " password=\"pa\\\"ss\\\\w0rd-never-printed\";", ((Password) producer.get("sasl.jaas.config")).value());
        assertFalse(producer.containsKey("sasl.username"), "Fathom's convenience keys are not client keys");
        assertFalse(producer.containsKey("sasl.password"));
        assertFalse(config.toString().contains(SECRET));
        assertFalse(config.values().toString().contains(SECRET), "the config dump masks the password");
        assertEquals("SASL_SSL (SCRAM-SHA-512 as node-1)", KafkaSecurity.describe(config));
    }

    @Test
    void shouldLetAPerClientOverrideWinOverTheSharedSecuritySetting() {
        Map<String, Object> props = tls();
        props.put("kafka.admin.security.protocol", "PLAINTEXT");
        FathomStorageConfig config = new FathomStorageConfig(props);
        assertEquals("PLAINTEXT", KafkaClientSettings.admin(config).get("security.protocol"));
        assertEquals("SSL", KafkaClientSettings.producer(config).get("security.protocol"));
    }

    @Test
    void shouldResolveThePasswordThroughAConfigProvider() {
        Map<String, Object> props = minimal();
        props.put("config.providers", "env");
        props.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        props.put("kafka.security.protocol", "SASL_PLAINTEXT");
        props.put("kafka.sasl.mechanism", "PLAIN");
        props.put("kafka.sasl.username", "node-1");
        props.put("kafka.sasl.password", "${env:PATH}");
        Password jaas = (Password) KafkaClientSettings.producer(new FathomStorageConfig(props)).get("sasl.jaas.config");
        assertTrue(jaas.value().contains("password=\"" + System.getenv("PATH") + "\""), "resolved from the env");
    }

    @Test
    void shouldPassTheSecurityKeysOfAnAgentConfigurationToItsStorage() {
        Map<String, Object> props = tls();
        props.put("databases", "/data/orders.db");
        props.put("state.dir", "/var/lib/fathom-agent");
        FathomStorageConfig storage = new AgentConfig(props).storageConfig();
        assertEquals("SSL", KafkaClientSettings.producer(storage).get("security.protocol"));
        assertEquals(new Password(SECRET), KafkaClientSettings.consumer(storage).get("ssl.keystore.password"));
    }

    @Test
    void shouldDefaultToPlaintextWithoutSaslSettings() {
        Map<String, Object> producer = KafkaClientSettings.producer(new FathomStorageConfig(minimal()));
        assertEquals("PLAINTEXT", producer.get("security.protocol"));
        assertFalse(producer.containsKey("sasl.mechanism"));
        assertFalse(producer.containsKey("sasl.jaas.config"));
    }

    @Test
    void shouldRefuseSaslSettingsThatDoNotFitTogether() {
        assertRefused("kafka.sasl.password", Map.of("kafka.security.protocol", "SASL_PLAINTEXT",
                "kafka.sasl.mechanism", "SCRAM-SHA-256", "kafka.sasl.username", "u"));
        assertRefused("kafka.sasl.password", Map.of("kafka.sasl.password", "p"));
        assertRefused("kafka.sasl.mechanism", Map.of("kafka.security.protocol", "SASL_PLAINTEXT",
                "kafka.sasl.mechanism", "GSSAPI", "kafka.sasl.username", "u", "kafka.sasl.password", "p"));
        assertRefused("kafka.sasl.jaas.config", Map.of("kafka.security.protocol", "SASL_PLAINTEXT",
                "kafka.sasl.mechanism", "PLAIN", "kafka.sasl.username", "u", "kafka.sasl.password", "p",
                "kafka.sasl.jaas.config", "x required;"));
        assertRefused("kafka.security.protocol", Map.of("kafka.sasl.mechanism", "PLAIN", "kafka.sasl.username", "u",
                "kafka.sasl.password", "p"));
        assertRefused("kafka.security.protocol", Map.of("kafka.security.protocol", "TLS"));
    }

    private static void assertRefused(String key, Map<String, Object> settings) {
        Map<String, Object> props = minimal();
        props.putAll(settings);
        ConfigException e = assertThrows(ConfigException.class, () -> new FathomStorageConfig(props));
        assertTrue(e.getMessage().contains(key), () -> key + " not named in: " + e.getMessage());
    }
}
