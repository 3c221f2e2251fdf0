package dev.fathom.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code fathom dlq}: the operator's view of refused segments on the dead-letter topic ({@code list}) and the way to
 * send refused segments through the workers again ({@code replay}). Holds no state.
 */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "Inspect dead letters (segments the workers refused) and replay refused segments.",
        subcommands = {DlqListCommand.class, DlqReplayCommand.class})
final class DlqCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    /** Invoked without {@code list} or {@code replay}: a usage error. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: try 'fathom dlq list' or"
                + " 'fathom dlq replay --namespace NS'");
    }
}
