package dev.fathom.cli;

import dev.fathom.worker.Worker;
import dev.fathom.worker.WorkerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fathom worker}: runs one worker from a properties file in the foreground until Ctrl-C or SIGTERM (a clean
 * stop: the worker leaves its groups so the others take over at once). Not thread-safe; one per invocation.
 */
@Command(name = "worker", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a worker: consume sealed segments, compact and upload them to S3, commit durable frames,"
                + " and serve the HTTP query API.",
            "All keys: docs/config-worker.md. Precedence: --set > FATHOM_* environment variables (key a.b.c is"
                    + " FATHOM_A_B_C) > --config file > defaults (docs/CLI.md)."})
final class WorkerCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Worker properties file (bootstrap.servers, storage.profile.<name>.*, ...); optional when"
                    + " FATHOM_* environment variables set the keys.")
    private Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Override a key of the file; repeatable, e.g. --set worker.id=w2 --set http.port=8081.")
    private Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--print-config", description = "Print the effective configuration (secrets hidden) with where"
            + " each value came from, then validate it and exit.")
    private boolean printConfig;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        ResolvedConfig resolved = new ConfigSources(WorkerConfigFile.KEYS, FathomCli.environment(spec))
                .resolve(configFile, overrides);
        PrintWriter out = spec.commandLine().getOut();
        if (printConfig) {
            out.print(resolved.render(WorkerConfigFile.KEYS));
            out.flush();
        }
        WorkerConfig config = WorkerConfigFile.load(resolved, configFile);
        if (printConfig) {
            return FathomCli.EXIT_OK;
        }
        out.println("Starting worker " + config.workerId() + " of group " + config.groupId() + " on Kafka "
                + config.bootstrapServers() + "...");
        out.flush();
        Worker worker = Worker.start(config);
        ShutdownHook stop = ShutdownHook.register("fathom-worker-stop", () -> {
            out.println("Stopping worker " + config.workerId() + "...");
            out.flush();
            worker.close();
            out.println("Stopped worker " + config.workerId());
            out.flush();
        });
        out.println("Worker " + config.workerId() + " runs; HTTP API at " + worker.meta().httpAddress()
                + ". Ctrl-C stops it.");
        out.flush();
        worker.awaitStop();
        Throwable failure = worker.failure();
        if (failure != null) {
            stop.run();
            throw new IllegalStateException("Worker " + config.workerId() + " stopped on a fatal error: " + failure,
                    failure);
        }
        return FathomCli.EXIT_OK;
    }
}
