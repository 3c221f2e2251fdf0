package dev.fathom.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fathom.schemas.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fathom dlq list}: prints the committed dead letters, one line (or one JSON document) per letter, oldest
 * first, optionally only those of one namespace and/or one reason code. Exit 0 also when none matches.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List dead letters: time, namespace, reason code, segment and frames, source partition and"
                + " offsets, and the reason sentence, oldest first.")
final class DlqListCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    private CommandSpec spec;

    @Mixin
    KafkaCommandOptions kafka;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", defaultValue = "localhost:9092",
            description = "Kafka cluster (default: ${DEFAULT-VALUE})")
    String bootstrapServers;

    @Option(names = "--dlq-topic", paramLabel = "TOPIC", description = "dead-letter topic (default: fathom.dlq)")
    String dlqTopic = Topics.defaults().deadLetters();

    @Option(names = "--namespace", paramLabel = "NS", description = "only letters of this namespace (exact match)")
    String namespace;

    @Option(names = "--reason", paramLabel = "CODE",
            description = "only letters with this reason code, e.g. GAP, CORRUPT, BLOCKED_NAMESPACE (any case)")
    String reason;

    @Option(names = "--json", description = "print one JSON document per line instead of text")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<DeadLetterEntry> letters;
        try (PartitionRangeReader reader = new PartitionRangeReader(kafka.clientSettings(bootstrapServers))) {
            letters = DeadLetterLog.read(reader, dlqTopic, problem -> err.println("fathom dlq list: "
                    + problem));
        }
        int shown = 0;
        for (DeadLetterEntry entry : letters) {
            if (matches(entry)) {
                out.println(json ? JSON.writeValueAsString(entry.json()) : entry.line());
                shown++;
            }
        }
        if (!json) {
            err.println(shown + " of " + letters.size() + " dead letters in " + dlqTopic + " shown");
        }
        out.flush();
        err.flush();
        return FathomCli.EXIT_OK;
    }

    private boolean matches(DeadLetterEntry entry) {
        return (namespace == null || namespace.equals(entry.letter().getNamespace()))
                && (reason == null || reason.equalsIgnoreCase(entry.letter().getReasonCode().name()));
    }
}
