package dev.fathom.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fathom.schemas.Topics;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.S3Server;
import dev.fathom.testkit.TestConfigs;
import dev.fathom.testkit.TestSegments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar's {@code fathom --log-format json worker}, configured by a file, FATHOM_* variables and a flag, as
 * a process: every stderr line is one JSON object, the job's lines carry the namespace and segment MDC, a mistyped
 * variable is warned about, the environment beats the file and the flag beats the environment, and the secret
 * given in the environment is printed nowhere. An agent configured by the environment alone tags its lines with the
 * namespace and the database file.
 */
class JsonLogsIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.singleNode();
    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final Path JAR = Path.of("target", "fathom.jar");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NS = "json-logs";

    private final List<Process> started = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void killLeftovers() {
        started.stream().filter(Process::isAlive).forEach(Process::destroyForcibly);
    }

    @Test
    @Timeout(180)
    void shouldWriteOneJsonObjectPerLineWithTheNamespaceOfTheJob() throws Exception {
        assumeTrue(Files.exists(JAR), "run 'mvn package' first: " + JAR.toAbsolutePath());
        String bucket = S3.newBucket();
        Topics topics = WorkerTestbed.uniqueTopics("json");
        Map<String, Object> props = TestConfigs.worker(KAFKA, S3, topics, WorkerTestbed.PARTITIONS, "g-json",
                "from-file", bucket, tmp);
        props.put("bootstrap.servers", "127.0.0.1:1");  // wrong on purpose: FATHOM_BOOTSTRAP_SERVERS must win
        String secret = (String) props.remove("storage.profile.default.secret.key");
        Path file = tmp.resolve("worker.properties");
        Properties p = new Properties();
        props.forEach((k, v) -> p.setProperty(k, v.toString()));
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, null);
        }
        Path out = tmp.resolve("out.log");
        Path err = tmp.resolve("err.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-jar", JAR.toString(), "--log-format", "json", "worker", "--config",
                file.toString(), "--set", "worker.id=json-flag")
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("FATHOM_"));
        env.put("FATHOM_LOG_LEVEL", "info");
        env.put("FATHOM_BOOTSTRAP_SERVERS", KAFKA.bootstrapServers());
        env.put("FATHOM_BOOTSTRAP_SERVER", "typo:9092");
        env.put("FATHOM_WORKER_ID", "from-env");
        env.put("FATHOM_STORAGE_PROFILE_DEFAULT_SECRET_KEY", secret);
        Process worker = builder.start();
        started.add(worker);
        Await.until(Duration.ofSeconds(90), () -> read(out).contains("runs; HTTP API"),
                "the worker started (stdout " + out + ", stderr " + err + ")");

        List<SealedSegment> chain = TestSegments.chain(2, 1, 10, 1024, 5, 1_790_000_000_000L, new Random(7));
        WorkerTestbed.storeDurably(KAFKA, topics, Map.of(NS, chain));
        Await.until(Duration.ofSeconds(30), () -> read(err).lines().anyMatch(l -> l.contains("Uploaded segment")
                && l.contains(chain.get(1).id().format())), "the worker logged the upload of the second segment");
        worker.destroy();
        assertTrue(worker.waitFor(60, TimeUnit.SECONDS), "the worker stops on SIGTERM");

        List<JsonNode> lines = jsonLines(err);
        assertTrue(lines.stream().anyMatch(l -> l.path("level").asText().equals("WARN")
                && l.path("formattedMessage").asText().contains("FATHOM_BOOTSTRAP_SERVER: it is not a key of the worker"
                + " configuration; did you mean FATHOM_BOOTSTRAP_SERVERS (key bootstrap.servers)?")), lines::toString);
        List<JsonNode> jobLines = lines.stream().filter(l -> NS.equals(l.path("mdc").path("namespace").asText()))
                .toList();
        assertFalse(jobLines.isEmpty(), lines::toString);
        for (SealedSegment segment : chain) {
            String id = segment.id().format();
            assertTrue(jobLines.stream().anyMatch(l -> l.path("formattedMessage").asText().startsWith("Uploaded"
                    + " segment " + id) && id.equals(l.path("mdc").path("segment").asText())
                    && l.path("mdc").has("partition")), jobLines::toString);
        }
        String stdout = read(out);
        assertTrue(stdout.contains("Starting worker json-flag of group g-json on Kafka " + KAFKA.bootstrapServers()),
                stdout);
        assertFalse(stdout.contains(secret) || read(err).contains(secret), "the secret was printed");
    }

    @Test
    @Timeout(120)
    void shouldTagTheAgentsLinesWithTheNamespaceAndTheDatabase() throws Exception {
        assumeTrue(Files.exists(JAR), "run 'mvn package' first: " + JAR.toAbsolutePath());
        Path db = tmp.resolve("orders.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.executeUpdate("PRAGMA journal_mode=WAL");
            st.executeUpdate("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
            st.executeUpdate("INSERT INTO t(v) VALUES ('a'), ('b')");
        }
        Topics topics = WorkerTestbed.uniqueTopics("json-agent");
        KAFKA.createTopic(topics.segments(), WorkerTestbed.PARTITIONS, false);
        KAFKA.createTopic(topics.meta(), WorkerTestbed.PARTITIONS, true);
        KAFKA.createTopic(topics.catalog(), WorkerTestbed.PARTITIONS, true);
        KAFKA.createTopic(topics.deadLetters(), WorkerTestbed.PARTITIONS, false);
        Path err = tmp.resolve("agent-err.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-jar", JAR.toString(), "agent")
                .redirectOutput(tmp.resolve("agent-out.log").toFile()).redirectError(err.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("FATHOM_"));
        env.put("FATHOM_LOG_FORMAT", "json");
        env.put("FATHOM_LOG_LEVEL", "info");
        env.put("FATHOM_BOOTSTRAP_SERVERS", KAFKA.bootstrapServers());
        env.put("FATHOM_NODE_ID", "json-node");
        env.put("FATHOM_STATE_DIR", tmp.resolve("agent-state").toString());
        env.put("FATHOM_DATABASES", db.toString());
        env.put("FATHOM_SHUTDOWN_TIMEOUT_MS", "1000");  // no worker here: nothing becomes durable
        env.put("FATHOM_TOPIC_SEGMENTS", topics.segments());
        env.put("FATHOM_TOPIC_META", topics.meta());
        env.put("FATHOM_TOPIC_CATALOG", topics.catalog());
        env.put("FATHOM_TOPIC_DLQ", topics.deadLetters());
        env.put("FATHOM_TOPIC_PARTITIONS", Integer.toString(WorkerTestbed.PARTITIONS));
        Process agent = builder.start();
        started.add(agent);
        Await.until(Duration.ofSeconds(60), () -> read(err).contains("Shipped a base snapshot"),
                "the agent shipped its base snapshot (stderr " + err + ")");
        agent.destroy();
        assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "the agent stops on SIGTERM");

        List<JsonNode> lines = jsonLines(err);
        assertTrue(lines.stream().anyMatch(l -> l.path("formattedMessage").asText().startsWith("Shipped a base"
                + " snapshot") && "orders".equals(l.path("mdc").path("namespace").asText())
                && l.path("mdc").path("database").asText().endsWith("orders.db")), lines::toString);
    }

    /** Every non-blank line of {@code file}, each of which must be one JSON object. */
    private static List<JsonNode> jsonLines(Path file) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                lines.add(assertDoesNotThrow(() -> JSON.readTree(line), "not one JSON object: " + line));
            }
        }
        return lines;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
