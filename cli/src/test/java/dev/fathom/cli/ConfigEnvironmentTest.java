package dev.fathom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * FATHOM_* environment variables reach the commands through the main entry ({@link FathomCli#execute}) with the
 * documented precedence (flags > environment > config file > defaults), and mistyped ones are reported.
 */
class ConfigEnvironmentTest {

    @TempDir
    Path tmp;

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void captureWarnings() {
        logged.start();
        for (Class<?> c : List.of(ConfigSources.class, EnvironmentDefaults.class)) {
            ((Logger) LoggerFactory.getLogger(c)).addAppender(logged);
        }
    }

    @AfterEach
    void stopCapturing() {
        for (Class<?> c : List.of(ConfigSources.class, EnvironmentDefaults.class)) {
            ((Logger) LoggerFactory.getLogger(c)).detachAppender(logged);
        }
    }

    @Test
    void shouldApplyFlagsOverEnvironmentOverFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("w.properties"), "bootstrap.servers=file:1\nworker.id=from-file\n"
                + "http.port=1111\nstorage.profile.default.bucket=file-bucket\n");
        FathomCliTest.Run run = fathom(env("FATHOM_WORKER_ID", "from-env", "FATHOM_HTTP_PORT", "2222",
                        "FATHOM_STORAGE_PROFILE_DEFAULT_SECRET_KEY", "s3cr3t-value",
                        "FATHOM_STORAGE_PROFILE_DEFAULT_ACCESS_KEY", "AKIA"),
                "worker", "--config", file.toString(), "--set", "worker.id=from-flag", "--print-config");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("# from flag\nworker.id=from-flag\n"), run::toString);
        assertTrue(run.out().contains("# from env FATHOM_HTTP_PORT\nhttp.port=2222\n"), run::toString);
        assertTrue(run.out().contains("# from file " + file + "\nbootstrap.servers=file:1\n"), run::toString);
        assertTrue(run.out().contains("storage.profile.default.secret.key=[hidden]\n"), run::toString);
        assertFalse(run.out().contains("s3cr3t-value") || run.err().contains("s3cr3t-value"), run::toString);
    }

    @Test
    void shouldRunTheWorkerFromTheEnvironmentAloneAndWarnAboutATypo() {
        FathomCliTest.Run run = fathom(env("FATHOM_BOOTSTRAP_SERVERS", "k:9092",
                        "FATHOM_STORAGE_PROFILE_DEFAULT_BUCKET", "wal", "FATHOM_WORKER_ID", "w1",
                        "FATHOM_MAX_INFLIGHT_JOBS", "3"),
                "worker", "--print-config");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("bootstrap.servers=k:9092\n"), run::toString);
        assertTrue(warnings().contains("Ignoring environment variable FATHOM_MAX_INFLIGHT_JOBS: it is not a key of"
                + " the worker configuration; did you mean FATHOM_MAX_IN_FLIGHT_JOBS (key max.in.flight.jobs)?"),
                warnings());
    }

    @Test
    void shouldNameTheVariableThatSetAnInvalidValue() {
        FathomCliTest.Run run = fathom(env("FATHOM_BOOTSTRAP_SERVERS", "k:9092", "FATHOM_HTTP_PORT", "eighty",
                "FATHOM_STORAGE_PROFILE_DEFAULT_BUCKET", "wal"), "worker");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("http.port was set by env FATHOM_HTTP_PORT"), run::toString);
        FathomCliTest.Run missing = fathom(env(), "worker");
        assertEquals(2, missing.exitCode(), missing::toString);
        assertTrue(missing.err().contains("bootstrap.servers") && missing.err().contains("--config"),
                missing::toString);
    }

    @Test
    void shouldFeedTheAgentFromTheEnvironmentBelowItsFlags() {
        FathomCliTest.Run run = fathom(env("FATHOM_BOOTSTRAP_SERVERS", "k:9092", "FATHOM_NODE_ID", "env-node",
                "FATHOM_STATE_DIR", tmp.toString(), "FATHOM_DATABASES", tmp.resolve("a.db").toString(),
                "FATHOM_SEGMENT_MAX_AGE_MS", "-5"), "agent", "--node-id", "flag-node");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("segment.max.age.ms was set by env FATHOM_SEGMENT_MAX_AGE_MS"), run::toString);
    }

    @Test
    void shouldFeedDevOptionsFromTheEnvironmentBelowTheFlags() {
        FathomCliTest.Run fromEnv = fathom(env("FATHOM_KAFKA_PORT", "70000", "FATHOM_DATA_DIR",
                tmp.resolve("data").toString(), "FATHOM_HTTP_PROT", "1"), "dev");
        assertEquals(2, fromEnv.exitCode(), fromEnv::toString);
        assertTrue(fromEnv.err().contains("Invalid --kafka-port 70000"), fromEnv::toString);
        assertTrue(warnings().contains("Ignoring environment variable FATHOM_HTTP_PROT: no option of fathom dev reads"
                + " it; did you mean FATHOM_HTTP_PORT (option --http-port)?"), warnings());

        FathomCliTest.Run flagWins = fathom(env("FATHOM_KAFKA_PORT", "70000", "FATHOM_PARTITIONS", "0"), "dev",
                "--data-dir", tmp.resolve("data").toString(), "--kafka-port", "0");
        assertEquals(2, flagWins.exitCode(), flagWins::toString);
        assertTrue(flagWins.err().contains("Invalid --partitions 0"), flagWins::toString);
        assertTrue(Files.notExists(tmp.resolve("data").resolve("kafka")), "nothing was started");
    }

    @Test
    void shouldFeedConnectionOptionsOfOperatorCommands() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;
        FathomCliTest.Run run = fathom(env("FATHOM_META_URL", url), "status", "ns1");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains("cannot reach the worker at " + url), run::toString);

        // A required option set by its variable is satisfied: restore gets past parsing to its own checks.
        String[] restore = {"restore", "--namespace", "ns1", "-o", tmp.resolve("out.db").toString(),
            "--parallelism", "0"};
        FathomCliTest.Run noBucket = fathom(env(), restore);
        assertEquals(2, noBucket.exitCode(), noBucket::toString);
        assertTrue(noBucket.err().contains("--bucket"), noBucket::toString);
        FathomCliTest.Run bucketFromEnv = fathom(env("FATHOM_BUCKET", "wal"), restore);
        assertEquals(2, bucketFromEnv.exitCode(), bucketFromEnv::toString);
        assertTrue(bucketFromEnv.err().contains("Invalid value for option '--parallelism': 0"),
                bucketFromEnv::toString);
    }

    @Test
    void shouldRefuseAnUnknownLogFormatOrLevel() {
        FathomCliTest.Run format = fathom(env("FATHOM_LOG_FORMAT", "yaml"), "--version");
        assertEquals(2, format.exitCode(), format::toString);
        assertTrue(format.err().contains("FATHOM_LOG_FORMAT 'yaml'"), format::toString);
        FathomCliTest.Run flag = fathom(env(), "--log-format", "xml", "--version");
        assertEquals(2, flag.exitCode(), flag::toString);
        assertTrue(flag.err().contains("--log-format 'xml'"), flag::toString);
        FathomCliTest.Run level = fathom(env("FATHOM_LOG_LEVEL", "verbose"), "--version");
        assertEquals(2, level.exitCode(), level::toString);
        assertTrue(level.err().contains("FATHOM_LOG_LEVEL 'VERBOSE'"), level::toString);
    }

    /** The process environment (so the log settings stay those of the test JVM) plus {@code pairs}. */
    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("FATHOM_") && !k.startsWith("FATHOM_LOG_"));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private String warnings() {
        return logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList().toString();
    }

    private static FathomCliTest.Run fathom(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FathomCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), env, args);
        return new FathomCliTest.Run(code, out.toString(), err.toString());
    }
}
