package dev.fathom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.cli.FathomCliTest.Run;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

class KafkaCommandOptionsTest {

    private static final String SECURITY = """
            security.protocol=SASL_SSL
            sasl.mechanism=SCRAM-SHA-512
            sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\
              username="ops" password="s3cret";
            ssl.truststore.location=/etc/kafka/ca.p12
            ssl.truststore.type=PKCS12
            bootstrap.servers=ignored:1
            """;

    @TempDir
    Path tmp;

    private Path clientConfig;

    @BeforeEach
    void writeClientConfig() throws Exception {
        clientConfig = Files.writeString(tmp.resolve("client.properties"), SECURITY);
    }

    @Test
    void shouldGiveEveryKafkaCommandTheSecuritySettingsOfTheCommandConfig() {
        String file = clientConfig.toString();
        Map<String, List<String>> commands = Map.of(
                "status", List.of("status", "db1", "--bootstrap-servers", "broker:9092", "--command-config", file),
                "rebuild-meta", List.of("rebuild-meta", "--bucket", "b", "--bootstrap-servers", "broker:9092",
                        "--command-config", file),
                "list", List.of("dlq", "list", "--bootstrap-servers", "broker:9092", "--command-config", file),
                "replay", List.of("dlq", "replay", "--namespace", "db1", "--bootstrap-servers", "broker:9092",
                        "--command-config", file));
        commands.forEach((name, args) -> {
            Map<String, Object> settings = settingsOf(args);
            assertEquals("SASL_SSL", settings.get("security.protocol"), name);
            assertEquals("SCRAM-SHA-512", settings.get("sasl.mechanism"), name);
            assertTrue(String.valueOf(settings.get("sasl.jaas.config")).contains("username=\"ops\""), name);
            assertEquals("/etc/kafka/ca.p12", settings.get("ssl.truststore.location"), name);
            assertEquals("broker:9092", settings.get("bootstrap.servers"), name + ": the option wins over the file");
        });
    }

    @Test
    void shouldBuildSettingsThatKafkasOwnClientConfigsAccept() {
        Map<String, Object> settings = settingsOf(List.of("dlq", "list", "--bootstrap-servers", "broker:9092",
                "--command-config", clientConfig.toString()));

        Map<String, Object> consumerSettings = new HashMap<>(settings);
        consumerSettings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumerSettings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        Map<String, Object> producerSettings = new HashMap<>(settings);
        producerSettings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producerSettings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        ConsumerConfig consumer = new ConsumerConfig(consumerSettings);
        ProducerConfig producer = new ProducerConfig(producerSettings);
        AdminClientConfig admin = new AdminClientConfig(settings);
        for (var config : List.of(consumer, producer, admin)) {
            assertEquals("SASL_SSL", config.getString("security.protocol"));
            assertEquals("SCRAM-SHA-512", config.getString("sasl.mechanism"));
            assertEquals("/etc/kafka/ca.p12", config.getString("ssl.truststore.location"));
            assertTrue(config.getPassword("sasl.jaas.config").value().contains("password=\"s3cret\""));
        }
    }

    @Test
    void shouldStartFromBootstrapServersAndTimeoutsWithoutACommandConfig() {
        Map<String, Object> settings = settingsOf(List.of("rebuild-meta", "--bucket", "b", "--bootstrap-servers",
                "broker:9092"));

        assertEquals("broker:9092", settings.get("bootstrap.servers"));
        assertEquals(null, settings.get("security.protocol"));
    }

    @Test
    void shouldRefuseAnUnreadableCommandConfigOrOneWithoutBootstrapServersWithExitTwo() {
        Path missing = tmp.resolve("missing.properties");
        for (List<String> args : List.of(
                List.of("status", "db1", "--bootstrap-servers", "broker:9092", "--command-config", missing.toString()),
                List.of("rebuild-meta", "--bucket", "b", "--s3-endpoint", "http://localhost:1",
                        "--bootstrap-servers", "broker:9092", "--command-config", missing.toString()))) {
            Run run = FathomCliTest.fathom(args.toArray(String[]::new));
            assertEquals(2, run.exitCode(), run::toString);
            assertTrue(run.err().contains("Cannot read the Kafka client properties file " + missing), run::toString);
        }
        Run noServers = FathomCliTest.fathom("status", "db1", "--command-config", clientConfig.toString());
        assertEquals(2, noServers.exitCode(), noServers::toString);
        assertTrue(noServers.err().contains("give --bootstrap-servers too"), noServers::toString);
    }

    @Test
    void shouldOfferCommandConfigInTheHelpOfEveryKafkaCommand() {
        for (String[] help : List.of(new String[] {"status", "--help"}, new String[] {"rebuild-meta", "--help"},
                new String[] {"dlq", "list", "--help"}, new String[] {"dlq", "replay", "--help"})) {
            Run run = FathomCliTest.fathom(help);
            assertEquals(0, run.exitCode(), run::toString);
            assertTrue(run.out().contains("--command-config=FILE"), run::toString);
        }
    }

    /** Parses {@code args} like {@code fathom} does and returns the client settings the leaf command would use. */
    private static Map<String, Object> settingsOf(List<String> args) {
        PrintWriter discard = new PrintWriter(new StringWriter());
        CommandLine cli = FathomCli.commandLine(discard, discard);
        ParseResult parsed = cli.parseArgs(args.toArray(String[]::new));
        while (parsed.hasSubcommand()) {
            parsed = parsed.subcommand();
        }
        Object command = parsed.commandSpec().userObject();
        if (command instanceof StatusCommand status) {
            return status.kafka.clientSettings(status.bootstrapServers);
        }
        if (command instanceof RebuildMetaCommand rebuild) {
            return rebuild.kafka.clientSettings(rebuild.bootstrapServers);
        }
        if (command instanceof DlqListCommand list) {
            return list.kafka.clientSettings(list.bootstrapServers);
        }
        DlqReplayCommand replay = (DlqReplayCommand) command;
        return replay.kafka.clientSettings(replay.bootstrapServers);
    }
}
