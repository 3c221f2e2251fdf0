package dev.fathom.cli;

import dev.fathom.schemas.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/**
 * Where the {@code fathom dlq} commands find Kafka, as a picocli mixin: the bootstrap servers, the dead-letter
 * topic, and an optional Kafka client properties file (security settings such as
 * {@code security.protocol}, {@code sasl.*}, {@code ssl.*}) applied to every client they create.
 */
final class DlqKafkaOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", defaultValue = "localhost:9092",
            description = "Kafka cluster (default: ${DEFAULT-VALUE})")
    String bootstrapServers;

    @Option(names = "--dlq-topic", paramLabel = "TOPIC", description = "dead-letter topic (default: fathom.dlq)")
    String dlqTopic = Topics.defaults().deadLetters();

    @Option(names = "--command-config", paramLabel = "FILE",
            description = "Kafka client properties (e.g. security.protocol, sasl.*, ssl.*) for every client")
    Path commandConfig;

    /** Returns the settings every client starts from: the properties file, then the bootstrap servers. */
    Map<String, Object> clientSettings() {
        Map<String, Object> settings = new HashMap<>();
        if (commandConfig != null) {
            Properties file = new Properties();
            try (Reader in = Files.newBufferedReader(commandConfig)) {
                file.load(in);
            } catch (IOException e) {
                throw new UsageException("Cannot read the Kafka client properties file " + commandConfig + ": "
                        + e.getMessage(), e);
            }
            file.stringPropertyNames().forEach(k -> settings.put(k, file.getProperty(k)));
        }
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        settings.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return settings;
    }
}
