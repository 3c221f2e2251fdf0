package dev.fathom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.cli.FathomCliTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DlqCommandTest {

    @TempDir
    Path tmp;

    @Test
    void shouldRefuseBadUsageWithExitTwoBeforeTouchingKafka() {
        Run bare = FathomCliTest.fathom("dlq");
        assertEquals(2, bare.exitCode(), bare::toString);
        assertTrue(bare.err().contains("fathom dlq list"), bare::toString);

        Run noNamespace = FathomCliTest.fathom("dlq", "replay");
        assertEquals(2, noNamespace.exitCode(), noNamespace::toString);
        assertTrue(noNamespace.err().contains("--namespace"), noNamespace::toString);

        Path missing = tmp.resolve("missing.properties");
        Run badConfig = FathomCliTest.fathom("dlq", "list", "--command-config", missing.toString());
        assertEquals(2, badConfig.exitCode(), badConfig::toString);
        assertTrue(badConfig.err().contains("Cannot read the Kafka client properties file " + missing),
                badConfig::toString);
    }

    @Test
    void shouldApplyTheCommandConfigToEveryClientWithTheBootstrapServersOnTop() throws Exception {
        Path file = Files.writeString(tmp.resolve("client.properties"),
                "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\nbootstrap.servers=ignored:1\n");
        KafkaCommandOptions options = new KafkaCommandOptions();
        options.commandConfig = file;
        Map<String, Object> settings = options.clientSettings("broker:9092");
        assertEquals("SASL_PLAINTEXT", settings.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", settings.get("sasl.mechanism"));
        assertEquals("broker:9092", settings.get("bootstrap.servers"));
    }

    @Test
    void shouldDescribeBothSubcommandsInTheHelp() {
        Run help = FathomCliTest.fathom("dlq", "replay", "--help");
        assertEquals(0, help.exitCode(), help::toString);
        for (String option : new String[] {"--namespace", "--dry-run", "--bootstrap-servers", "--dlq-topic",
                "--command-config"}) {
            assertTrue(help.out().contains(option), () -> option + " in " + help);
        }
        Run list = FathomCliTest.fathom("dlq", "list", "--help");
        assertTrue(list.out().contains("--reason") && list.out().contains("--json"), list::toString);
    }
}
