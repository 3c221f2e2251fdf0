package dev.fathom.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.producer.restore.ReadSettings;
import dev.fathom.producer.storage.StorageProfile;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The read path's keys of FathomStorageConfig: storage profiles as in the worker, meta URLs, cache and parallelism. */
class ReadPathConfigTest {

    private static Map<String, Object> minimal() {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", "localhost:9092");
        props.put("node.id", "n1");
        return props;
    }

    @Test
    void shouldNeedNoProfileAndDefaultTheReadSettings() {
        FathomStorageConfig config = new FathomStorageConfig(minimal());

        assertEquals(List.of(), config.storageProfiles());
        assertEquals(ReadSettings.defaults(), config.readSettings());
        assertEquals(new ReadSettings(List.of(), Duration.ofSeconds(5), 4, 256), config.readSettings());
    }

    @Test
    void shouldParseProfilesAndReadSettings() {
        Map<String, Object> props = minimal();
        props.put("storage.profiles", "default,archive");
        props.put("storage.profile.default.bucket", "hot");
        props.put("storage.profile.archive.bucket", "cold");
        props.put("storage.profile.archive.prefix", "tenants/a");
        props.put("storage.profile.archive.endpoint", "http://127.0.0.1:9000");
        props.put("storage.profile.archive.path.style", "true");
        props.put("storage.profile.archive.access.key", "AKIA");
        props.put("storage.profile.archive.secret.key", "s3cr3t");
        props.put("meta.urls", "http://w1:8080, https://w2:8443/");
        props.put("meta.request.timeout.ms", "750");
        props.put("restore.parallelism", "8");
        props.put("page.cache.max.pages", "0");

        FathomStorageConfig config = new FathomStorageConfig(props);

        List<StorageProfile> profiles = config.storageProfiles();
        assertEquals(List.of("default", "archive"), profiles.stream().map(StorageProfile::name).toList());
        StorageProfile archive = profiles.get(1);
        assertEquals("cold", archive.bucket());
        assertEquals("tenants/a", archive.prefix());
        assertEquals(URI.create("http://127.0.0.1:9000"), archive.endpoint());
        assertTrue(archive.pathStyle());
        assertEquals("s3cr3t", archive.secretKey().value());
        assertEquals(new ReadSettings(List.of(URI.create("http://w1:8080"), URI.create("https://w2:8443/")),
                Duration.ofMillis(750), 8, 0), config.readSettings());
    }

    @ParameterizedTest(name = "{0}={1} is refused")
    @CsvSource(delimiter = '|', value = {
        "meta.urls                      | worker-1:8080",
        "meta.urls                      | ftp://w1",
        "meta.request.timeout.ms        | 0",
        "restore.parallelism            | 0",
        "page.cache.max.pages           | -1",
        "storage.profiles               | no/slash",
        "storage.profile.default.prefix | /leading",
    })
    void shouldRefuseABadValueNamingItsKey(String key, String value) {
        Map<String, Object> props = minimal();
        props.put("storage.profiles", "default");
        props.put("storage.profile.default.bucket", "b");
        props.put(key, value);

        ConfigException e = assertThrows(ConfigException.class, () -> new FathomStorageConfig(props));

        assertTrue(e.getMessage().contains(key), "message should name " + key + ": " + e.getMessage());
    }

    @Test
    void shouldRequireTheBucketOfEveryDeclaredProfile() {
        Map<String, Object> props = minimal();
        props.put("storage.profiles", "archive");

        ConfigException e = assertThrows(ConfigException.class, () -> new FathomStorageConfig(props));

        assertTrue(e.getMessage().contains("storage.profile.archive.bucket"), e.getMessage());
    }
}
