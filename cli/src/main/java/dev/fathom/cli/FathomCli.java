package dev.fathom.cli;

import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The top command {@code fathom}: wires the subcommands, the exit codes and the error reporting. Stateless; each call
 * of {@link #execute} builds a fresh command tree, so it is safe to call from several threads.
 */
@Command(name = "fathom", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Bottomless WAL storage for SQLite/libSQL on Kafka and S3.",
        subcommands = {DevCommand.class, WorkerCommand.class, AgentCommand.class, RestoreCommand.class,
                SegmentsCommand.class, VerifyCommand.class, StatusCommand.class, RebuildMetaCommand.class,
                DlqCommand.class, StackCommand.class, CommandLine.HelpCommand.class})
public final class FathomCli implements Runnable {

    /** The command did what was asked. */
    public static final int EXIT_OK = 0;
    /** A runtime failure: a service did not start, Kafka or S3 unreachable, the worker stopped on a fatal error. */
    public static final int EXIT_FAILURE = 1;
    /** Bad usage or configuration: unknown option, missing or invalid value, unreadable or invalid config file. */
    public static final int EXIT_USAGE = 2;

    private static final Map<String, String> EXIT_CODE_LIST = exitCodeList();

    @Spec
    private CommandSpec spec;

    // Read before any command is built (LogSettings scans the arguments); declared here for parsing and --help.
    @Option(names = LogSettings.FORMAT_OPTION, paramLabel = "text|json", scope = ScopeType.INHERIT,
            description = "Log format on stderr: text, or json (one object per line with the MDC); default: env"
                    + " FATHOM_LOG_FORMAT, else text. Level: env FATHOM_LOG_LEVEL (default INFO).")
    private String logFormat;

    /** The process environment, or the one a test injects: where FATHOM_* configuration variables are read. */
    private final Map<String, String> environment;

    private FathomCli(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs {@code fathom args} writing to {@code out} and {@code err} and returns the exit code; never exits. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return execute(out, err, System.getenv(), args);
    }

    /** {@link #execute(PrintWriter, PrintWriter, String...)} with {@code environment} instead of the process's. */
    static int execute(PrintWriter out, PrintWriter err, Map<String, String> environment, String... args) {
        try {
            LogSettings.resolve(args, environment).apply();
        } catch (UsageException e) {
            err.println("fathom: " + e.getMessage());
            err.flush();
            return EXIT_USAGE;
        }
        return commandLine(out, err, environment).execute(args);
    }

    /**
     * Returns the environment the command line was built with (FATHOM_* configuration variables); the process's
     * when the command runs outside a {@code fathom} command line (a test parsing one command).
     */
    static Map<String, String> environment(CommandSpec anyCommand) {
        return anyCommand.root().userObject() instanceof FathomCli fathom ? fathom.environment : System.getenv();
    }

    /** Builds the command tree with the exit-code footer on every command and Fathom's error reporting. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, System.getenv());
    }

    private static CommandLine commandLine(PrintWriter out, PrintWriter err, Map<String, String> environment) {
        CommandLine cli = new CommandLine(new FathomCli(environment));
        cli.setOut(out).setErr(err)
                .setDefaultValueProvider(new EnvironmentDefaults(environment))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(FathomCli::onBadUsage)
                .setExecutionExceptionHandler(FathomCli::onFailure);
        addExitCodeList(cli);
        return cli;
    }

    /** Invoked without a subcommand: there is nothing to do, so it is a usage error. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: try 'fathom dev' or 'fathom worker'");
    }

    private static Map<String, String> exitCodeList() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put(Integer.toString(EXIT_OK), "ok");
        codes.put(Integer.toString(EXIT_FAILURE), "runtime failure (a service did not start, Kafka or S3 unreachable,"
                + " fatal worker error)");
        codes.put(Integer.toString(EXIT_USAGE), "bad usage or configuration (unknown option, invalid value, missing or"
                + " invalid config file)");
        // The JVM itself sets these after a clean shutdown triggered by a signal.
        codes.put("130", "a long-running command (dev, worker, agent, stack) was stopped cleanly with Ctrl-C"
                + " (SIGINT)");
        codes.put("143", "a long-running command (dev, worker, agent, stack) was stopped cleanly with SIGTERM");
        return Collections.unmodifiableMap(codes);
    }

    private static void addExitCodeList(CommandLine cli) {
        cli.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(EXIT_CODE_LIST);
        cli.getSubcommands().values().forEach(FathomCli::addExitCodeList);
    }

    private static int onBadUsage(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return EXIT_USAGE;
    }

    private static int onFailure(Exception e, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        if (e instanceof UsageException || e instanceof ConfigException) {
            err.println(name + ": " + e.getMessage());
            err.println("Try '" + name + " --help' for more information.");
            err.flush();
            return EXIT_USAGE;
        }
        err.println(name + " failed: " + e.getMessage());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            err.println("  caused by " + cause);
        }
        err.flush();
        return EXIT_FAILURE;
    }
}
