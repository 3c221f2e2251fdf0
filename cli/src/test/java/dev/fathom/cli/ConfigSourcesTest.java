package dev.fathom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourcesTest {

    private static final ConfigKeys WORKER = WorkerConfigFile.KEYS;

    @TempDir
    Path tmp;

    @Test
    void shouldMapKeysToFathomVariables() {
        assertEquals("FATHOM_BOOTSTRAP_SERVERS", ConfigKeys.envName("bootstrap.servers"));
        assertEquals("FATHOM_STORAGE_PROFILE_ARCHIVE_EU_SECRET_KEY",
                ConfigKeys.envName("storage.profile.archive-eu.secret.key"));
        assertEquals("FATHOM_KAFKA_PORT", EnvironmentDefaults.envName("--kafka-port"));
    }

    @Test
    void shouldFindTheKeyOfAVariable() {
        List<String> profiles = List.of("default", "archive-eu", "Cold.Store");
        assertEquals(Optional.of("bootstrap.servers"), WORKER.keyOf("FATHOM_BOOTSTRAP_SERVERS", profiles));
        assertEquals(Optional.of("max.in.flight.jobs"), WORKER.keyOf("FATHOM_MAX_IN_FLIGHT_JOBS", profiles));
        assertEquals(Optional.of("storage.profile.default.path.style"),
                WORKER.keyOf("FATHOM_STORAGE_PROFILE_DEFAULT_PATH_STYLE", profiles));
        assertEquals(Optional.of("storage.profile.archive-eu.bucket"),
                WORKER.keyOf("FATHOM_STORAGE_PROFILE_ARCHIVE_EU_BUCKET", profiles));
        assertEquals(Optional.of("storage.profile.Cold.Store.access.key"),
                WORKER.keyOf("FATHOM_STORAGE_PROFILE_COLD_STORE_ACCESS_KEY", profiles));
        // An undeclared profile name is taken in lower case.
        assertEquals(Optional.of("storage.profile.backup.region"),
                WORKER.keyOf("FATHOM_STORAGE_PROFILE_BACKUP_REGION", profiles));
        assertEquals(Optional.of("kafka.producer.linger.ms"),
                WORKER.keyOf("FATHOM_KAFKA_PRODUCER_LINGER_MS", profiles));
        assertEquals(Optional.of("kafka.streams.num.stream.threads"),
                WORKER.keyOf("FATHOM_KAFKA_STREAMS_NUM_STREAM_THREADS", profiles));
        assertEquals(Optional.of("kafka.ssl.truststore.certificates"),
                WORKER.keyOf("FATHOM_KAFKA_SSL_TRUSTSTORE_CERTIFICATES", profiles));
        assertEquals(Optional.empty(), WORKER.keyOf("FATHOM_BOOTSTRAP_SERVER", profiles));
        assertEquals(Optional.empty(), WORKER.keyOf("FATHOM_DATABASES", profiles));
    }

    @Test
    void shouldLetFlagsBeatTheEnvironmentAndTheEnvironmentBeatTheFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("w.properties"),
                "bootstrap.servers=file:1\nworker.id=from-file\nhttp.port=1111\nstate.dir=/file\n");
        Map<String, String> env = Map.of("FATHOM_WORKER_ID", "from-env", "FATHOM_HTTP_PORT", "2222",
                "PATH", "/usr/bin", "FATHOM_LOG_FORMAT", "json");
        ResolvedConfig config = new ConfigSources(WORKER, env).resolve(file, Map.of("worker.id", "from-flag"));
        assertEquals("from-flag", config.values().get("worker.id"));
        assertEquals("flag", config.origins().get("worker.id"));
        assertEquals("2222", config.values().get("http.port"));
        assertEquals("env FATHOM_HTTP_PORT", config.origins().get("http.port"));
        assertEquals("file:1", config.values().get("bootstrap.servers"));
        assertEquals("file " + file, config.origins().get("bootstrap.servers"));
        assertEquals(4, config.values().size(), config::toString);
        assertEquals(List.of(), config.warnings());
    }

    @Test
    void shouldWarnAboutAVariableThatLooksLikeAKeyButIsNot() {
        Map<String, String> env = Map.of("FATHOM_BOOTSTRAP_SERVER", "k:9092", "FATHOM_DATABASES", "/a.db",
                "FATHOM_S3_ACCESS_KEY", "x", "FATHOM_STORAGE_PROFILE_DEFAULT_BUKET", "b");
        ResolvedConfig config = new ConfigSources(WORKER, env).resolve(null, Map.of());
        assertEquals(Map.of(), config.values());
        assertEquals(2, config.warnings().size(), config.warnings()::toString);
        assertTrue(config.warnings().get(0).contains("FATHOM_BOOTSTRAP_SERVER: it is not a key of the worker"
                + " configuration; did you mean FATHOM_BOOTSTRAP_SERVERS (key bootstrap.servers)?"),
                config.warnings()::toString);
        assertTrue(config.warnings().get(1).contains("did you mean FATHOM_STORAGE_PROFILE_DEFAULT_BUCKET"),
                config.warnings()::toString);
    }

    @Test
    void shouldReadProfileKeysOfProfilesDeclaredInTheEnvironment() {
        Map<String, String> env = Map.of("FATHOM_STORAGE_PROFILES", "default,hot-eu",
                "FATHOM_STORAGE_PROFILE_HOT_EU_BUCKET", "hot", "FATHOM_STORAGE_PROFILE_DEFAULT_BUCKET", "cold");
        ResolvedConfig config = new ConfigSources(WORKER, env).resolve(null, Map.of());
        assertEquals("hot", config.values().get("storage.profile.hot-eu.bucket"));
        assertEquals("cold", config.values().get("storage.profile.default.bucket"));
    }

    @Test
    void shouldHideSecretsWhenPrinted() {
        Map<String, String> env = Map.of("FATHOM_STORAGE_PROFILE_DEFAULT_SECRET_KEY", "s3cr3t-value",
                "FATHOM_STORAGE_PROFILE_DEFAULT_ACCESS_KEY", "AKIA",
                "FATHOM_KAFKA_PRODUCER_SSL_KEY_PASSWORD", "s3cr3t-value");
        ResolvedConfig config = new ConfigSources(WORKER, env).resolve(null, Map.of("worker.id", "w"));
        String printed = config.render(WORKER);
        assertFalse(printed.contains("s3cr3t-value"), printed);
        assertTrue(printed.contains("# from env FATHOM_STORAGE_PROFILE_DEFAULT_SECRET_KEY\n"
                + "storage.profile.default.secret.key=[hidden]\n"), printed);
        assertTrue(printed.contains("storage.profile.default.access.key=AKIA\n"), printed);
        assertTrue(printed.contains("kafka.producer.ssl.key.password=[hidden]\n"), printed);
        assertTrue(printed.contains("# from flag\nworker.id=w\n"), printed);
    }

    @Test
    void shouldTraceAnInvalidValueToItsSource() {
        ResolvedConfig config = new ConfigSources(WORKER, Map.of("FATHOM_HTTP_PORT", "eighty"))
                .resolve(null, Map.of());
        assertEquals(" (http.port was set by env FATHOM_HTTP_PORT)",
                config.tracing("Invalid value eighty for configuration http.port: Not a number of type INT"));
        assertEquals("", config.tracing("Missing required configuration \"bootstrap.servers\""));
    }

    @Test
    void shouldFindNearMissesOnlyWithinTwoEdits() {
        assertEquals(1, NearMiss.distance("FATHOM_BOOTSTRAP_SERVER", "FATHOM_BOOTSTRAP_SERVERS"));
        assertEquals(Optional.empty(), NearMiss.nearest("FATHOM_DATA_DIR", List.of("FATHOM_STATE_DIR")));
        assertEquals(Optional.of("FATHOM_HTTP_PORT"),
                NearMiss.nearest("FATHOM_HTTP_PROT", List.of("FATHOM_HTTP_PORT", "FATHOM_HTTP_LISTEN_HOST")));
    }
}
