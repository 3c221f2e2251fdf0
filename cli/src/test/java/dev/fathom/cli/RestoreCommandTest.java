package dev.fathom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.cli.FathomCliTest.Run;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage errors of restore, segments and verify: exit 2 before any S3 request. */
class RestoreCommandTest {

    @TempDir
    Path tmp;

    @Test
    void shouldExitWithTwoWhenBothFrameAndTimestampAreGiven() {
        Run run = FathomCliTest.fathom("restore", "--namespace", "db", "--bucket", "b", "--frame", "5",
                "--timestamp", "2026-01-31T12:00:00Z", "-o", tmp.resolve("x.db").toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--frame") && run.err().contains("--timestamp"), run::toString);
    }

    @Test
    void shouldExitWithTwoNamingABadTimestamp() {
        Run run = FathomCliTest.fathom("restore", "--namespace", "db", "--bucket", "b", "--timestamp", "yesterday",
                "-o", tmp.resolve("x.db").toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("yesterday"), run::toString);
    }

    @Test
    void shouldExitWithTwoOnMissingRequiredOptions() {
        assertEquals(2, FathomCliTest.fathom("restore", "--namespace", "db", "-o", "x.db").exitCode());
        assertEquals(2, FathomCliTest.fathom("restore", "--bucket", "b", "-o", "x.db").exitCode());
        assertEquals(2, FathomCliTest.fathom("segments", "list", "--bucket", "b").exitCode());
        assertEquals(2, FathomCliTest.fathom("segments").exitCode());
        assertEquals(2, FathomCliTest.fathom("verify", "db").exitCode());
        assertEquals(2, FathomCliTest.fathom("restore", "--namespace", "db", "--bucket", "b", "--frame", "0",
                "-o", "x.db").exitCode());
    }

    @Test
    void shouldListTheS3OptionsInTheHelpOfEachCommand() {
        for (List<String> command : List.of(List.of("restore"), List.of("segments", "list"), List.of("verify"))) {
            List<String> args = new java.util.ArrayList<>(command);
            args.add("--help");
            Run run = FathomCliTest.fathom(args.toArray(String[]::new));
            assertEquals(0, run.exitCode(), run::toString);
            for (String option : List.of("--s3-endpoint", "--bucket", "--prefix", "--region", "--path-style",
                    "--access-key", "--secret-key", "Exit codes:")) {
                assertTrue(run.out().contains(option), () -> "missing '" + option + "' in " + run);
            }
        }
    }
}
