package dev.fathom.cli;

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
            "All keys: docs/config-agent.md (agent) and docs/config-producer.md (storage)."})
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

    @Option(names = "--set", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Set any key; repeatable, e.g. --set segment.max.age.ms=500 --set outbox.dir=/var/fathom.")
    private Map<String, String> overrides = new LinkedHashMap<>();

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        AgentConfig config = config();
        PrintWriter out = spec.commandLine().getOut();
        out.println("Starting agent of node " + config.storageConfig().nodeId() + " on Kafka "
                + config.storageConfig().bootstrapServers() + "...");
        out.flush();
        Agent agent = Agent.start(config);
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

    /** Merges file, flags and --set (in that order) and validates the result. */
    AgentConfig config() {
        Map<String, String> props = configFile == null ? new LinkedHashMap<>() : PropertiesFile.read(configFile);
        if (!databases.isEmpty()) {
            List<String> all = new ArrayList<>();
            String listed = props.getOrDefault(AgentConfig.DATABASES_CONFIG, "").trim();
            if (!listed.isEmpty()) {
                all.add(listed);
            }
            databases.forEach(db -> all.add(db.toString()));
            props.put(AgentConfig.DATABASES_CONFIG, String.join(",", all));
        }
        putIfSet(props, AgentConfig.WATCH_DIR_CONFIG, watchDir);
        putIfSet(props, AgentConfig.STATE_DIR_CONFIG, stateDir);
        putIfSet(props, "bootstrap.servers", bootstrapServers);
        putIfSet(props, "node.id", nodeId);
        props.putAll(overrides);
        try {
            return new AgentConfig(props);
        } catch (ConfigException e) {
            throw new UsageException("Invalid agent configuration" + (configFile == null ? "" : " in " + configFile)
                    + ": " + e.getMessage(), e);
        }
    }

    private static void putIfSet(Map<String, String> props, String key, Object value) {
        if (value != null) {
            props.put(key, value.toString());
        }
    }
}
