package dev.fathom.cli;

import dev.fathom.schemas.TopicSettings;
import dev.fathom.schemas.Topics;
import dev.fathom.worker.rebuild.MetaRebuilder;
import dev.fathom.worker.rebuild.NamespaceRebuild;
import dev.fathom.worker.rebuild.RebuildSettings;
import dev.fathom.worker.rebuild.RebuildSource;
import dev.fathom.worker.rebuild.RebuildSummary;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code fathom rebuild-meta}: re-publishes the meta and catalog topics from a bucket listing (disaster recovery when
 * Kafka lost them). Prints one line per namespace and a summary; exit 1 when a namespace could be published only up
 * to a gap, an overlap or an unreadable object.
 */
@Command(name = "rebuild-meta", mixinStandardHelpOptions = true,
        description = "Re-publish the meta topic (durable frame per namespace) and the catalog topic (one record per"
                + " segment) from the segments in a bucket. Never moves a durable frame backwards; repeating it"
                + " changes nothing.")
final class RebuildMetaCommand implements Callable<Integer> {

    private static final Duration META_READ_TIMEOUT = Duration.ofSeconds(60);

    @Spec
    private CommandSpec spec;

    @Mixin
    S3Options s3;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", required = true,
            description = "Kafka cluster to publish to")
    String bootstrapServers;

    @Mixin
    KafkaCommandOptions kafka;

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "default",
            description = "storage profile name the workers use for this bucket and prefix, written into the"
                    + " records (default: ${DEFAULT-VALUE})")
    String profile;

    @Option(names = "--namespace", paramLabel = "NS",
            description = "rebuild only this namespace; repeatable (default: every namespace under the prefix)")
    List<String> namespaces = new ArrayList<>();

    @Option(names = "--segments-topic", paramLabel = "TOPIC", description = "segments topic (default: fathom.segments)")
    String segmentsTopic = Topics.defaults().segments();

    @Option(names = "--meta-topic", paramLabel = "TOPIC", description = "meta topic (default: fathom.meta)")
    String metaTopic = Topics.defaults().meta();

    @Option(names = "--catalog-topic", paramLabel = "TOPIC", description = "catalog topic (default: fathom.catalog)")
    String catalogTopic = Topics.defaults().catalog();

    @Option(names = "--dlq-topic", paramLabel = "TOPIC", description = "dead-letter topic (default: fathom.dlq)")
    String deadLetterTopic = Topics.defaults().deadLetters();

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "" + TopicSettings.DEFAULT_PARTITIONS,
            description = "partitions of topics created because they are missing; must equal the workers'"
                    + " topic.partitions (default: ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--replication-factor", paramLabel = "N", defaultValue = "-1",
            description = "replication factor of created topics; -1 = min(3, brokers) (default: ${DEFAULT-VALUE})")
    short replicationFactor;

    @Option(names = "--transactional-id", paramLabel = "ID", defaultValue = RebuildSettings.DEFAULT_TRANSACTIONAL_ID,
            description = "transactional id of the producer; a second rebuild with the same id fences the first"
                    + " (default: ${DEFAULT-VALUE})")
    String transactionalId;

    @Override
    public Integer call() {
        RebuildSettings settings = settings();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Rebuilding meta topic %s and catalog topic %s from %s (storage profile %s)%n", metaTopic,
                catalogTopic, s3.where(s3.prefix().isEmpty() ? "" : s3.prefix() + "/"), profile);
        out.flush();
        try (S3Client client = s3.newClient();
             MetaRebuilder rebuilder = MetaRebuilder.open(settings,
                     new RebuildSource(client, s3.bucket, s3.prefix(), profile, s3.codec()), Clock.systemUTC())) {
            RebuildSummary summary = rebuilder.rebuild(namespaces, done -> {
                out.println(line(done));
                out.flush();
            });
            out.println(summary(summary));
            summary.incomplete().forEach(n -> out.println("  WARNING " + n.namespace() + ": " + n.problem()));
            out.flush();
            return summary.incomplete().isEmpty() ? FathomCli.EXIT_OK : FathomCli.EXIT_FAILURE;
        }
    }

    private RebuildSettings settings() {
        Topics topics;
        TopicSettings topicSettings;
        try {
            topics = new Topics(segmentsTopic, metaTopic, catalogTopic, deadLetterTopic);
            topicSettings = new TopicSettings(partitions, replicationFactor,
                    TopicSettings.DEFAULT_SEGMENTS_RETENTION_MS, TopicSettings.DEFAULT_MAX_MESSAGE_BYTES);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        return new RebuildSettings(kafka.clientSettings(bootstrapServers), topics, topicSettings, transactionalId,
                META_READ_TIMEOUT);
    }

    static String line(NamespaceRebuild n) {
        String what = switch (n.outcome()) {
            case PUBLISHED -> String.format(Locale.ROOT, "published   durable frame %d -> %d, %d of %d segments",
                    n.previousDurableFrameNo(), n.durableFrameNo(), n.segmentsPublished(), n.segmentsStored());
            case UP_TO_DATE -> String.format(Locale.ROOT, "up to date  durable frame %d already published"
                    + " (%d segments stored)", n.durableFrameNo(), n.segmentsStored());
            case NOTHING_TO_PUBLISH -> String.format(Locale.ROOT, "nothing     no readable chain from frame 1"
                    + " (%d segments stored)", n.segmentsStored());
        };
        return String.format(Locale.ROOT, "  %-24s %s%s", n.namespace(), what,
                n.problem() == null ? "" : "; stopped early, see WARNING below");
    }

    static String summary(RebuildSummary s) {
        return String.format(Locale.ROOT, "Rebuilt %d namespaces in %.1f s: %d published, %d up to date, %d with"
                        + " nothing to publish; %d catalog records; %d stopped at a gap or an unreadable object",
                s.namespaces().size(), s.duration().toMillis() / 1000.0,
                s.count(NamespaceRebuild.Outcome.PUBLISHED), s.count(NamespaceRebuild.Outcome.UP_TO_DATE),
                s.count(NamespaceRebuild.Outcome.NOTHING_TO_PUBLISH), s.segmentsPublished(), s.incomplete().size());
    }
}
