package dev.fathom.cli;

import dev.fathom.producer.restore.StoredSegment;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code fathom segments}: inspects the segments of a namespace in a bucket. */
@Command(name = "segments", mixinStandardHelpOptions = true,
        description = "Inspect the segments of a namespace stored in a bucket.",
        subcommands = SegmentsCommand.ListCommand.class)
final class SegmentsCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: try 'fathom segments list NS'");
    }

    /** {@code fathom segments list NS}: one line per complete segment. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the segments of a namespace: start frame, end frame, sealed_at, .seg size in bytes.")
    static final class ListCommand implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Mixin
        S3Options s3;

        @Mixin
        CatalogOptions catalog;

        @Parameters(index = "0", paramLabel = "NS", description = "namespace")
        String namespace;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (S3Client client = s3.newClient()) {
                List<StoredSegment> segments = catalog.catalog(client, s3).segments(namespace);
                out.printf("%-20s %-20s %-24s %s%n", "start", "end", "sealed_at", "seg_bytes");
                for (StoredSegment s : segments) {
                    out.printf("%-20d %-20d %-24s %d%n", s.id().startFrameNo(), s.id().endFrameNo(),
                            Instant.ofEpochMilli(s.id().sealedAtMs()), s.dataSize());
                }
                out.println(segments.size() + " segments");
                out.flush();
            }
            return FathomCli.EXIT_OK;
        }
    }
}
