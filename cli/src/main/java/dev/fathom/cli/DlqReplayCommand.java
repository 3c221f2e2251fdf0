package dev.fathom.cli;

import dev.fathom.schemas.DeadLetter;
import dev.fathom.schemas.Topics;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fathom dlq replay --namespace NS}: republishes the refused segments of a namespace from their source records
 * in frame order (see {@link ReplayPlan}, {@link SegmentReplayer}). Every segment is checked before the first one is
 * published, so a replay that cannot be complete (records removed by retention, missing chunks) publishes nothing
 * and exits 1 naming the topic, partition and offsets. Harmless to repeat: a segment that is already durable is
 * acknowledged by the workers without work.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Republish a namespace's refused segments (GAP, BLOCKED_NAMESPACE, UNKNOWN_PROFILE,"
                + " PROFILE_NOT_ALLOWED letters) from their source records, in frame order, so the workers take"
                + " them again. Publish the missing segment first: a gap is never skipped.")
final class DlqReplayCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    KafkaCommandOptions kafka;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", defaultValue = "localhost:9092",
            description = "Kafka cluster (default: ${DEFAULT-VALUE})")
    String bootstrapServers;

    @Option(names = "--dlq-topic", paramLabel = "TOPIC", description = "dead-letter topic (default: fathom.dlq)")
    String dlqTopic = Topics.defaults().deadLetters();

    @Option(names = "--namespace", paramLabel = "NS", required = true, description = "namespace to replay")
    String namespace;

    @Option(names = "--dry-run", description = "check and print what would be republished, publish nothing")
    boolean dryRun;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (PartitionRangeReader reader = new PartitionRangeReader(kafka.clientSettings(bootstrapServers));
             SegmentReplayer replayer = new SegmentReplayer(reader, kafka.clientSettings(bootstrapServers))) {
            ReplayPlan plan = ReplayPlan.of(namespace, DeadLetterLog.read(reader, dlqTopic,
                    problem -> err.println("fathom dlq replay: " + problem)));
            for (ReplayPlan.Skipped skipped : plan.skipped()) {
                out.println("skip     " + describe(skipped.entry()) + ": " + skipped.why());
            }
            if (plan.replay().isEmpty()) {
                out.println("Nothing to replay for namespace " + namespace + " in " + dlqTopic);
                out.flush();
                return FathomCli.EXIT_OK;
            }
            List<List<ConsumerRecord<byte[], byte[]>>> segments = new ArrayList<>();
            for (DeadLetterEntry entry : plan.replay()) {
                segments.add(replayer.chunksOf(entry)); // all checked before anything is published
            }
            for (int i = 0; i < segments.size(); i++) {
                DeadLetterEntry entry = plan.replay().get(i);
                if (!dryRun) {
                    replayer.publish(segments.get(i));
                }
                out.println((dryRun ? "would republish " : "republished ") + describe(entry) + " ("
                        + segments.get(i).size() + " chunks from " + entry.source() + ")");
                out.flush();
            }
            out.println((dryRun ? "Dry run: would replay " : "Replayed ") + segments.size() + " segments of namespace "
                    + namespace + (dryRun ? "" : "; follow it with 'fathom status " + namespace + "'"));
            out.flush();
            return FathomCli.EXIT_OK;
        }
    }

    private static String describe(DeadLetterEntry entry) {
        DeadLetter letter = entry.letter();
        return entry.namesSegment() ? "segment " + letter.getSegmentId() + " frames " + letter.getStartFrameNo()
                + ".." + letter.getEndFrameNo() + " [" + letter.getReasonCode() + "]"
                : "letter at " + entry.source() + " [" + letter.getReasonCode() + "]";
    }
}
