package dev.fathom.cli;

import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The top command {@code fathom}: wires the subcommands, the exit codes and the error reporting. Stateless; each call
 * of {@link #execute} builds a fresh command tree, so it is safe to call from several threads.
 */
@Command(name = "fathom", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Bottomless WAL storage for SQLite/libSQL on Kafka and S3.",
        subcommands = {DevCommand.class, WorkerCommand.class, AgentCommand.class, RestoreCommand.class,
                SegmentsCommand.class, VerifyCommand.class, StatusCommand.class, RebuildMetaCommand.class,
                CommandLine.HelpCommand.class})
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

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs {@code fathom args} writing to {@code out} and {@code err} and returns the exit code; never exits. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return commandLine(out, err).execute(args);
    }

    /** Builds the command tree with the exit-code footer on every command and Fathom's error reporting. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new FathomCli());
        cli.setOut(out).setErr(err)
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
        codes.put("130", "a long-running command (dev, worker) was stopped cleanly with Ctrl-C (SIGINT)");
        codes.put("143", "a long-running command (dev, worker) was stopped cleanly with SIGTERM");
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
