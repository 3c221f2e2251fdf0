package dev.fathom.cli;

import dev.fathom.producer.FathomStorageConfig;
import dev.fathom.producer.agent.Agent;
import dev.fathom.producer.agent.AgentConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fathom agent}: ships live SQLite databases (WAL mode) in the foreground until Ctrl-C or SIGTERM, which seals
 * what was read and waits (up to shutdown.timeout.ms) until it is durable. Configuration from a properties file and/or
 * flags; flags win. Not thread-safe; one per invocation.
 */
@Command(name = "agent", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Ship live SQLite databases: a base snapshot, then every committed WAL frame, as segments"
                + " through Kafka to object storage. Each database's namespace is its file name without the"
                + " extension.",
            "All keys: docs/config-agent.md (agent) and docs/config-producer.md (storage). Precedence: flags and"
                    + " --set > FATHOM_* environment variables (key a.b.c is FATHOM_A_B_C) > --config file >"
                    + " defaults."})
final class AgentCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Agent properties file (databases, state.dir, bootstrap.servers, node.id, ...).")
    private Path configFile;

    @Option(names = {"-d", "--database"}, paramLabel = "PATH",
            description = "A database file to ship; repeatable. Added to the file's databases.")
    private List<Path> databases = new ArrayList<>();

    @Option(names = "--watch-dir", paramLabel = "DIR", description = "Also ship databases appearing in DIR"
            + " (watch.glob, default *.db).")
    private Path watchDir;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Where the agent keeps its state (state.dir).")
    private Path stateDir;

    @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (bootstrap.servers).")
    private String bootstrapServers;

    @Option(names = "--node-id", paramLabel = "ID", description = "This node's identity (node.id).")
    private String nodeId;

    @Option(names = "--http-port", paramLabel = "PORT", description = "Serve /metrics, /health and /ready on PORT"
            + " (http.port; 0 = any free port; default -1 = off).")
    private Integer httpPort;

    @Option(names = "--set", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Set any key; repeatable, e.g. --set segment.max.age.ms=500 --set outbox.dir=/var/fathom.")
    private Map<String, String> overrides = new LinkedHashMap<>();

    @Spec
    private CommandSpec spec;

    /** The agent's keys as environment variables see them (ConfigSources): agent and storage keys, prefixes. */
    static final ConfigKeys KEYS = ConfigKeys.of("agent", List.of(AgentConfig.configDef(),
            FathomStorageConfig.configDef()), List.of(FathomStorageConfig.PRODUCER_PREFIX,
            FathomStorageConfig.CONSUMER_PREFIX, FathomStorageConfig.ADMIN_PREFIX, ConfigKeys.SASL_PREFIX,
            ConfigKeys.SSL_PREFIX));

    @Override
    public Integer call() throws InterruptedException {
        AgentConfig config = config();
        PrintWriter out = spec.commandLine().getOut();
        out.println("Starting agent of node " + config.storageConfig().nodeId() + " on Kafka "
                + config.storageConfig().bootstrapServers() + "...");
        out.flush();
        Agent agent = Agent.start(config);
        agent.httpAddress().ifPresent(http -> out.println("Operator endpoints: " + http + "/metrics, " + http
                + "/health, " + http + "/ready"));
        CountDownLatch stopped = new CountDownLatch(1);
        ShutdownHook.register("fathom-agent-stop", () -> {
            out.println("Stopping agent: sealing what was read and waiting until it is durable...");
            out.flush();
            agent.close();
            out.println("Stopped agent");
            out.flush();
            stopped.countDown();
        });
        out.println("Agent runs: shipping " + (config.databases().isEmpty() ? "" : config.databases() + " ")
                + config.watchDir().map(d -> "and databases in " + d + " matching " + config.watchGlob()).orElse("")
                + ". Ctrl-C stops it.");
        out.flush();
        stopped.await();
        return FathomCli.EXIT_OK;
    }

    /** Merges flags and --set > FATHOM_* environment > file (see ConfigSources) and validates the result. */
    AgentConfig config() {
        Map<String, String> flags = new LinkedHashMap<>();
        putIfSet(flags, AgentConfig.WATCH_DIR_CONFIG, watchDir);
        putIfSet(flags, AgentConfig.STATE_DIR_CONFIG, stateDir);
        putIfSet(flags, "bootstrap.servers", bootstrapServers);
        putIfSet(flags, "node.id", nodeId);
        putIfSet(flags, AgentConfig.HTTP_PORT_CONFIG, httpPort);
        flags.putAll(overrides);
        ResolvedConfig resolved = new ConfigSources(KEYS, FathomCli.environment(spec)).resolve(configFile, flags);
        Map<String, String> props = resolved.properties();
        if (!databases.isEmpty()) {
            List<String> all = new ArrayList<>();
            String listed = props.getOrDefault(AgentConfig.DATABASES_CONFIG, "").trim();
            if (!listed.isEmpty()) {
                all.add(listed);
            }
            databases.forEach(db -> all.add(db.toString()));
            props.put(AgentConfig.DATABASES_CONFIG, String.join(",", all));
        }
        try {
            return new AgentConfig(props);
        } catch (ConfigException e) {
            throw new UsageException("Invalid agent configuration" + (configFile == null ? "" : " in " + configFile)
                    + ": " + e.getMessage() + resolved.tracing(e.getMessage()), e);
        }
    }

    private static void putIfSet(Map<String, String> props, String key, Object value) {
        if (value != null) {
            props.put(key, value.toString());
        }
    }
}
