package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.producer.storage.StorageProfile;
import dev.fathom.schemas.Topics;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkerConfigTest {

    private static Map<String, Object> minimal() {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", "localhost:9092");
        props.put("worker.id", "w1");
        props.put("storage.profile.default.bucket", "fathom");
        return props;
    }

    @Test
    void shouldApplyDefaultsToAMinimalConfig() {
        WorkerConfig config = new WorkerConfig(minimal());

        assertEquals("localhost:9092", config.bootstrapServers());
        assertEquals("fathom-workers", config.groupId());
        assertEquals("w1", config.workerId());
        assertEquals("fathom-worker-w1", config.transactionalId());
        assertEquals(Topics.defaults(), config.topics());
        assertEquals(4, config.maxInFlightJobs());
        assertEquals(8080, config.httpPort());
        assertTrue(config.faultBlockBeforeCommitMarker().isEmpty());
        List<StorageProfile> profiles = config.storageProfiles();
        assertEquals(1, profiles.size());
        StorageProfile profile = profiles.get(0);
        assertEquals("default", profile.name());
        assertEquals("fathom", profile.bucket());
        assertEquals("", profile.prefix());
        assertTrue(profile.usesDefaultCredentials());
        assertTrue(profile.endpointOverride().isEmpty());
        assertFalse(profile.pathStyle());
    }

    @Test
    void shouldParseSeveralNamedProfiles() {
        Map<String, Object> props = minimal();
        props.put("storage.profiles", "default, archive");
        props.put("storage.profile.archive.bucket", "cold");
        props.put("storage.profile.archive.prefix", "tenants/a");
        props.put("storage.profile.archive.endpoint", "http://127.0.0.1:9000");
        props.put("storage.profile.archive.region", "eu-west-1");
        props.put("storage.profile.archive.path.style", "true");
        props.put("storage.profile.archive.access.key", "AKIA");
        props.put("storage.profile.archive.secret.key", "s3cr3t");

        List<StorageProfile> profiles = new WorkerConfig(props).storageProfiles();

        assertEquals(List.of("default", "archive"), profiles.stream().map(StorageProfile::name).toList());
        StorageProfile archive = profiles.get(1);
        assertEquals("cold", archive.bucket());
        assertEquals("tenants/a", archive.prefix());
        assertEquals(URI.create("http://127.0.0.1:9000"), archive.endpoint());
        assertEquals("eu-west-1", archive.region());
        assertTrue(archive.pathStyle());
        assertFalse(archive.usesDefaultCredentials());
        assertEquals("s3cr3t", archive.secretKey().value());
        assertFalse(archive.toString().contains("s3cr3t"), "the secret must be masked when printed");
    }

    @Test
    void shouldPassKafkaClientSettingsThroughByPrefix() {
        Map<String, Object> props = minimal();
        props.put("kafka.consumer.session.timeout.ms", "6000");
        props.put("kafka.producer.linger.ms", "5");
        props.put("kafka.streams.commit.interval.ms", "100");
        props.put("kafka.admin.request.timeout.ms", "2000");
        props.put("state.dir", "/tmp/fathom-w1");

        WorkerConfig config = new WorkerConfig(props);

        assertEquals("6000", config.consumerOverrides().get("session.timeout.ms"));
        assertEquals("5", config.producerOverrides().get("linger.ms"));
        assertEquals("100", config.streamsOverrides().get("commit.interval.ms"));
        assertEquals("2000", config.adminOverrides().get("request.timeout.ms"));
        assertFalse(config.producerOverrides().containsKey("session.timeout.ms"), "no key leaks across clients");
        assertEquals(Path.of("/tmp/fathom-w1"), config.stateDir());
    }

    @Test
    void shouldKeepTheSettingsTheGuaranteesDependOnWhateverTheOverridesSay() {
        Map<String, Object> props = minimal();
        props.put("kafka.consumer.isolation.level", "read_uncommitted");
        props.put("kafka.consumer.enable.auto.commit", "true");
        props.put("kafka.consumer.max.poll.records", "7");
        props.put("kafka.producer.acks", "1");
        props.put("kafka.producer.transactional.id", "other");
        WorkerConfig config = new WorkerConfig(props);

        Map<String, Object> consumer = KafkaClientSettings.segmentsConsumer(config);
        Map<String, Object> producer = KafkaClientSettings.producer(config);

        assertEquals("read_committed", consumer.get("isolation.level"));
        assertEquals(false, consumer.get("enable.auto.commit"));
        assertEquals("7", consumer.get("max.poll.records"));
        assertEquals("fathom-workers", consumer.get("group.id"));
        assertEquals("org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
                consumer.get("partition.assignment.strategy"));
        assertEquals("all", producer.get("acks"));
        assertEquals("fathom-worker-w1", producer.get("transactional.id"));
        assertEquals(true, producer.get("enable.idempotence"));
    }

    @Test
    void shouldDefaultTheWorkerIdToTheHostName() {
        Map<String, Object> props = minimal();
        props.remove("worker.id");

        WorkerConfig config = new WorkerConfig(props);

        assertFalse(config.workerId().isBlank());
        assertEquals("fathom-worker-" + config.workerId(), config.transactionalId());
    }

    @ParameterizedTest(name = "{0}={1} is refused")
    @CsvSource(delimiter = '|', value = {
        "max.in.flight.jobs                 | 0",
        "max.backlog.bytes                  | 0",
        "max.backlog.segments               | -1",
        "http.port                          | 70000",
        "job.retry.backoff.ms               | 0",
        "storage.profile.default.prefix     | /leading",
        "storage.profile.default.prefix     | trailing/",
        "storage.profile.default.endpoint   | not a url",
        "storage.profile.default.path.style | maybe",
        "storage.profile.default.bucket     | ''",
        "group.id                           | ''",
    })
    void shouldRefuseABadValueNamingItsKey(String key, String value) {
        Map<String, Object> props = minimal();
        props.put(key, value);

        ConfigException e = assertThrows(ConfigException.class, () -> new WorkerConfig(props).storageProfiles());

        assertTrue(e.getMessage().contains(key), "message should name " + key + ": " + e.getMessage());
    }

    @Test
    void shouldRequireTheBucketOfEveryDeclaredProfile() {
        Map<String, Object> props = minimal();
        props.put("storage.profiles", "default,archive");

        ConfigException e = assertThrows(ConfigException.class, () -> new WorkerConfig(props));

        assertTrue(e.getMessage().contains("storage.profile.archive.bucket"), e.getMessage());
    }

    @Test
    void shouldRefuseAProfileNameThatCannotBeAKey() {
        Map<String, Object> props = minimal();
        props.put("storage.profiles", "default,no/slash");

        ConfigException e = assertThrows(ConfigException.class, () -> new WorkerConfig(props));

        assertTrue(e.getMessage().contains("storage.profiles"), e.getMessage());
    }

    @Test
    void shouldRequireASecretWithAnAccessKey() {
        Map<String, Object> props = minimal();
        props.put("storage.profile.default.access.key", "AKIA");

        ConfigException e = assertThrows(ConfigException.class, () -> new WorkerConfig(props).storageProfiles());

        assertTrue(e.getMessage().contains("storage.profile.default.secret.key"), e.getMessage());
    }

    @Test
    void shouldRequireBootstrapServers() {
        Map<String, Object> props = minimal();
        props.remove("bootstrap.servers");

        ConfigException e = assertThrows(ConfigException.class, () -> new WorkerConfig(props));

        assertTrue(e.getMessage().contains("bootstrap.servers"), e.getMessage());
    }

}
