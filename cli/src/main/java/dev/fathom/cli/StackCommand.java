package dev.fathom.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code fathom stack}: runs a multi-node Fathom on this machine without Docker (3 KRaft nodes, S3Proxy, 3 workers,
 * a demo database with its agent) in the foreground, printing a banner and a status line, until Ctrl-C or SIGTERM
 * stops every child in order. Not thread-safe; picocli creates one per invocation.
 */
@Command(name = "stack", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a multi-node Fathom locally as separate processes, no Docker: Kafka KRaft nodes (each"
                + " broker and controller), an S3 endpoint on the filesystem (S3Proxy) with the bucket, workers in"
                + " one consumer group, and a demo SQLite database written by a built-in load and shipped by"
                + " 'fathom agent'.",
            "Prints the endpoints, then a status line (durable frame of namespace 'demo'). Ctrl-C or SIGTERM stops"
                + " every child process cleanly; the data stays under the data dir for the next start."})
final class StackCommand implements Callable<Integer> {

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "fathom-stack",
            description = "Where Kafka, S3, workers, the demo database and all logs live (default: ${DEFAULT-VALUE}).")
    private Path dataDir;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "3",
            description = "Number of worker processes, 1-9 (default: ${DEFAULT-VALUE}).")
    private int workers;

    @Option(names = "--kafka-nodes", paramLabel = "N", defaultValue = "3",
            description = {"Number of Kafka nodes, 1-9 (default: ${DEFAULT-VALUE}). Topics get min(3, N) replicas.",
                "A data dir that already ran refuses another count."})
    private int kafkaNodes;

    @Option(names = "--no-demo", negatable = false,
            description = "Start no demo database, load and agent: only Kafka, S3 and the workers.")
    private boolean noDemo;

    @Option(names = "--kafka-port", paramLabel = "N", defaultValue = "29092",
            description = {"Port of Kafka node 0 on a new data dir; node i listens on N+2i, its controller on"
                    + " N+2i+1; 0 = free ports (default: ${DEFAULT-VALUE}).",
                "A data dir that already ran keeps its ports."})
    private int kafkaPort;

    @Option(names = "--s3-port", paramLabel = "N", defaultValue = "29000",
            description = "S3 endpoint port; 0 = any free port (default: ${DEFAULT-VALUE}).")
    private int s3Port;

    @Option(names = "--http-port", paramLabel = "N", defaultValue = "8081",
            description = "HTTP API port of worker-1; worker-i uses N+i-1; 0 = free ports (default: ${DEFAULT-VALUE}).")
    private int httpPort;

    @Option(names = "--bucket", paramLabel = "NAME", defaultValue = "fathom",
            description = "Bucket of storage profile \"default\", created when missing (default: ${DEFAULT-VALUE}).")
    private String bucket;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "6",
            description = "Partitions of the Fathom topics when they are created (default: ${DEFAULT-VALUE}).")
    private int partitions;

    @Option(names = "--status-interval", paramLabel = "SECONDS", defaultValue = "5",
            description = "Seconds between two status lines (default: ${DEFAULT-VALUE}).")
    private int statusIntervalSeconds;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        StackSettings settings = settings();
        PrintWriter out = spec.commandLine().getOut();
        out.println("Fathom " + VersionProvider.fathomVersion() + " stack in " + settings.dataDir());
        out.flush();
        try (StackSignals signals = StackSignals.install()) {
            signals.interruptOnSignal(Thread.currentThread());
            StackServices stack;
            try {
                stack = StackServices.start(settings, new StartupProgress(out));
            } catch (RuntimeException e) {
                if (signals.stopRequested()) {
                    Thread.interrupted();
                    out.println("Stopped while starting; data kept in " + settings.dataDir());
                    out.flush();
                    return signals.exitCode();
                }
                throw e;
            } finally {
                signals.interruptOnSignal(null);
            }
            // Safety net for an exit that bypasses the signals (System.exit elsewhere): stop in order if possible.
            ShutdownHook stop = ShutdownHook.register("fathom-stack-stop", () -> stopAll(stack, out, settings));
            out.println(StackBanner.render(stack.endpoints()));
            out.flush();
            StackStatus status = new StackStatus(stack, Clock.systemDefaultZone());
            long intervalMs = settings.statusInterval().toMillis();
            try {
                while (!signals.stopRequested()) {
                    out.println(status.line());
                    out.flush();
                    signals.awaitStop(intervalMs);
                }
            } catch (InterruptedException e) {
                // the first signal interrupted a status request; the loop condition already says stop
            }
            Thread.interrupted(); // an interrupt from the signal must not cut the children's grace periods short
            stop.run();
            return signals.exitCode();
        }
    }

    private static void stopAll(StackServices stack, PrintWriter out, StackSettings settings) {
        out.println("Stopping " + (settings.demo() ? "the demo load, the agent, " : "") + "the workers, the S3"
                + " endpoint and the Kafka nodes...");
        out.flush();
        stack.close();
        out.println("Stopped; data kept in " + settings.dataDir());
        out.flush();
    }

    private StackSettings settings() {
        try {
            return new StackSettings(dataDir, kafkaNodes, workers, !noDemo, kafkaPort, s3Port, httpPort, bucket,
                    partitions, Duration.ofSeconds(statusIntervalSeconds));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }
}
