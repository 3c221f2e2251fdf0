package dev.fathom.cli;

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
 * How the operator commands that talk to Kafka ({@code status}, {@code rebuild-meta}, {@code dlq list|replay}) build
 * their clients, as a picocli mixin: {@code --command-config FILE}, a Kafka client properties file (security
 * settings such as {@code security.protocol}, {@code sasl.*}, {@code ssl.*}, as for Kafka's own tools), applied to
 * every admin client, consumer and producer the command creates. Each command keeps its own
 * {@code --bootstrap-servers}, because it is optional for one, required for another and defaulted for the rest.
 * Not thread-safe (picocli fills it); the settings it returns are fresh maps.
 */
final class KafkaCommandOptions {

    @Option(names = "--command-config", paramLabel = "FILE",
            description = "Kafka client properties (e.g. security.protocol, sasl.*, ssl.*) for every Kafka client"
                    + " of the command")
    Path commandConfig;

    /**
     * Returns the settings every client starts from: the properties file, then {@code bootstrapServers} (the
     * command's option wins over a {@code bootstrap.servers} line in the file), then the command's timeouts.
     *
     * @throws UsageException when the file cannot be read
     */
    Map<String, Object> clientSettings(String bootstrapServers) {
        Map<String, Object> settings = new HashMap<>(fileSettings());
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        settings.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return settings;
    }

    private Map<String, Object> fileSettings() {
        Map<String, Object> settings = new HashMap<>();
        if (commandConfig == null) {
            return settings;
        }
        Properties file = new Properties();
        try (Reader in = Files.newBufferedReader(commandConfig)) {
            file.load(in);
        } catch (IOException | IllegalArgumentException e) { // IllegalArgumentException: a malformed \\uXXXX
            throw new UsageException("Cannot read the Kafka client properties file " + commandConfig + ": "
                    + e.getMessage(), e);
        }
        file.stringPropertyNames().forEach(k -> settings.put(k, file.getProperty(k)));
        return settings;
    }
}
