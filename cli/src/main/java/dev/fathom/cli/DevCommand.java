package dev.fathom.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code fathom dev}: runs a {@link DevStack} in the foreground until Ctrl-C, printing progress and the banner. Not
 * thread-safe; picocli creates one per invocation.
 */
@Command(name = "dev", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run everything locally with no services: an embedded single-node Kafka broker (KRaft),"
                + " an S3 endpoint on the filesystem (S3Proxy) with the bucket, one worker and its HTTP query API.",
            "Data goes under the data dir; Ctrl-C stops cleanly and a second start on the same dir reuses the data."})
final class DevCommand implements Callable<Integer> {

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "fathom-data",
            description = "Where Kafka, S3 and the worker keep their data (default: ${DEFAULT-VALUE}).")
    private Path dataDir;

    @Option(names = "--kafka-port", paramLabel = "N", defaultValue = "19092",
            description = {"Kafka port for a new data dir, the controller takes N+1; 0 = any free port (default:"
                    + " ${DEFAULT-VALUE}).", "A data dir that already ran keeps its first port."})
    private int kafkaPort;

    @Option(names = "--s3-port", paramLabel = "N", defaultValue = "19000",
            description = "S3 endpoint port; 0 = any free port (default: ${DEFAULT-VALUE}).")
    private int s3Port;

    @Option(names = "--http-port", paramLabel = "N", defaultValue = "8080",
            description = "HTTP query API port; 0 = any free port (default: ${DEFAULT-VALUE}).")
    private int httpPort;

    @Option(names = "--bucket", paramLabel = "NAME", defaultValue = "fathom",
            description = "Bucket of storage profile \"default\", created when missing (default: ${DEFAULT-VALUE}).")
    private String bucket;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "4",
            description = "Partitions of the Fathom topics when they are created (default: ${DEFAULT-VALUE}).")
    private int partitions;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        DevSettings settings = settings();
        PrintWriter out = spec.commandLine().getOut();
        out.println("Fathom " + VersionProvider.fathomVersion() + " dev stack in " + settings.dataDir());
        out.flush();
        DevStack stack = DevStack.start(settings, new StartupProgress(out));
        ShutdownHook stop = ShutdownHook.register("fathom-dev-stop", () -> {
            out.println("Stopping worker, S3 endpoint and Kafka broker...");
            out.flush();
            stack.close();
            out.println("Stopped; data kept in " + settings.dataDir());
            out.flush();
        });
        out.println(DevBanner.render(stack.endpoints()));
        out.flush();
        stack.awaitStop();
        Throwable failure = stack.failure();
        if (failure != null) {
            stop.run();
            throw new IllegalStateException("The dev worker stopped on a fatal error: " + failure, failure);
        }
        return FathomCli.EXIT_OK;
    }

    private DevSettings settings() {
        try {
            return new DevSettings(dataDir, kafkaPort, s3Port, httpPort, bucket, partitions);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }
}
