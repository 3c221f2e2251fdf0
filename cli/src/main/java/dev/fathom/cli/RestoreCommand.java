package dev.fathom.cli;

import dev.fathom.producer.restore.DatabaseRestorer;
import dev.fathom.producer.restore.RestoreResult;
import dev.fathom.producer.restore.RestoreTarget;
import dev.fathom.producer.restore.StoredSegment;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code fathom restore}: rebuilds a namespace's database file from its segments in a bucket (segment list from the
 * bucket, or from a worker's API with the bucket as fallback), with a progress bar on stderr and a summary on stdout.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Rebuild the database file of a namespace from its segments in the bucket (latest, or as of a"
                + " frame number or a time; segment-boundary granularity).")
final class RestoreCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    S3Options s3;

    @Mixin
    CatalogOptions catalog;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "" + DatabaseRestorer.DEFAULT_PARALLELISM,
            description = "segment objects fetched at once (default: ${DEFAULT-VALUE})")
    int parallelism;

    @Option(names = "--namespace", paramLabel = "NS", required = true, description = "namespace to restore")
    String namespace;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Target target;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true,
            description = "database file to write (replaced atomically; untouched on failure)")
    Path output;

    /** At most one of --frame / --timestamp. */
    static final class Target {
        @Option(names = "--frame", paramLabel = "N",
                description = "restore to the newest segment ending at or before frame N")
        Long frame;

        @Option(names = "--timestamp", paramLabel = "ISO-8601",
                description = "restore to the newest segment sealed at or before this time (2026-01-31T12:00:00Z)")
        String timestamp;
    }

    @Override
    public Integer call() {
        RestoreTarget restoreTarget = restoreTarget();
        if (parallelism < 1) {
            throw new UsageException("Invalid value for option '--parallelism': " + parallelism + " (must be >= 1)");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (S3Client client = s3.newClient()) {
            List<StoredSegment> segments = catalog.catalog(client, s3).segments(namespace);
            RestoreProgressBar progress = RestoreProgressBar.forStderr(spec.commandLine().getErr());
            RestoreResult result;
            try {
                result = new DatabaseRestorer(client, s3.bucket, s3.codec(), parallelism, Clock.systemUTC())
                        .restore(namespace, segments, restoreTarget, output, progress);
            } finally {
                progress.finish();
            }
            summary(out, result);
        }
        return FathomCli.EXIT_OK;
    }

    private void summary(PrintWriter out, RestoreResult result) {
        double seconds = result.duration().toNanos() / 1e9;
        out.println("Restored namespace " + result.namespace() + " to " + output.toAbsolutePath());
        out.println("  target segment " + result.segmentId().format());
        out.println("  frames         1.." + result.endFrameNo());
        out.println("  pages          " + result.pagesWritten() + " (" + fileSize() + " bytes)");
        out.println("  segments read  " + result.segmentsRead());
        out.println("  bytes fetched  " + result.bytesFetched());
        out.println("  time           " + String.format(Locale.ROOT, "%.3f s", seconds));
        out.println("  throughput     " + (seconds <= 0 ? "-" : String.format(Locale.ROOT, "%.1f MiB/s",
                result.bytesFetched() / (1024.0 * 1024.0) / seconds)));
        out.flush();
    }

    private long fileSize() {
        try {
            return Files.size(output);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the size of the restored file " + output, e);
        }
    }

    RestoreTarget restoreTarget() {
        if (target == null) {
            return RestoreTarget.latest();
        }
        if (target.frame != null) {
            if (target.frame < 1) {
                throw new UsageException("Invalid value for option '--frame': " + target.frame + " (must be >= 1)");
            }
            return RestoreTarget.atFrame(target.frame);
        }
        return RestoreTarget.atTime(parseTime(target.timestamp));
    }

    static Instant parseTime(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e2) {
                throw new UsageException("Invalid value for option '--timestamp': '" + text
                        + "' is not an ISO-8601 time such as 2026-01-31T12:00:00Z");
            }
        }
    }
}
