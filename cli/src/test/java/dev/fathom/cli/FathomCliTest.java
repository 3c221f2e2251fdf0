package dev.fathom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FathomCliTest {

    @TempDir
    Path tmp;

    /** The outcome of one {@code fathom ...} run. */
    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "\n--- err\n" + err;
        }
    }

    static Run fathom(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FathomCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void shouldListTheCommandsAndTheExitCodesInTheTopHelp() {
        Run run = fathom("--help");
        assertEquals(0, run.exitCode(), run::toString);
        for (String expected : List.of("Usage: fathom", "dev", "worker", "Exit codes:", "0 ", "1 ", "2 ")) {
            assertTrue(run.out().contains(expected), () -> "missing '" + expected + "' in " + run);
        }
    }

    @Test
    void shouldListEveryOptionInTheHelpOfEachCommand() {
        Run dev = fathom("dev", "--help");
        assertEquals(0, dev.exitCode(), dev::toString);
        for (String option : List.of("--data-dir", "--kafka-port", "--s3-port", "--http-port", "--bucket",
                "--partitions", "fathom-data", "19092", "19000", "8080", "Exit codes:")) {
            assertTrue(dev.out().contains(option), () -> "missing '" + option + "' in " + dev);
        }
        Run worker = fathom("help", "worker");
        assertEquals(0, worker.exitCode(), worker::toString);
        for (String option : List.of("--config", "--set", "KEY=VALUE", "Exit codes:")) {
            assertTrue(worker.out().contains(option), () -> "missing '" + option + "' in " + worker);
        }
    }

    @Test
    void shouldPrintTheVersion() {
        Run run = fathom("--version");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().startsWith("fathom 0."), run::toString);
    }

    @Test
    void shouldExitWithTwoOnAnUnknownOptionOrCommand() {
        Run badOption = fathom("dev", "--no-such-option");
        assertEquals(2, badOption.exitCode(), badOption::toString);
        assertTrue(badOption.err().contains("--no-such-option"), badOption::toString);
        Run badCommand = fathom("serve");
        assertEquals(2, badCommand.exitCode(), badCommand::toString);
        Run noCommand = fathom();
        assertEquals(2, noCommand.exitCode(), noCommand::toString);
    }

    @Test
    void shouldExitWithTwoOnAnInvalidDevOptionBeforeStartingAnything() {
        Path dataDir = tmp.resolve("never-created");
        for (String[] args : List.of(new String[] {"--partitions", "0"}, new String[] {"--bucket", "Not_A_Bucket"},
                new String[] {"--http-port", "70000"}, new String[] {"--kafka-port", "not-a-number"})) {
            String[] full = concat(new String[] {"dev", "--data-dir", dataDir.toString()}, args);
            Run run = fathom(full);
            assertEquals(2, run.exitCode(), run::toString);
            assertTrue(run.err().contains(args[0]), () -> "the message names " + args[0] + ": " + run);
        }
        assertTrue(Files.notExists(dataDir), "nothing was started");
    }

    @Test
    void shouldExitWithOneNamingThePortWhenARequestedPortIsTakenBeforeStartingAnything() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run run = fathom("dev", "--data-dir", tmp.resolve("data").toString(), "--kafka-port", "0",
                    "--s3-port", Integer.toString(taken.getLocalPort()), "--http-port", "0");
            assertEquals(1, run.exitCode(), run::toString);
            assertTrue(run.err().contains("Port " + taken.getLocalPort()), run::toString);
            assertTrue(run.err().contains("--s3-port"), run::toString);
            assertTrue(Files.notExists(tmp.resolve("data").resolve("kafka")), "Kafka was not started");
        }
    }

    @Test
    void shouldExitWithTwoNamingTheFileWhenTheWorkerConfigIsMissing() {
        Run run = fathom("worker", "--config", tmp.resolve("missing.properties").toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("missing.properties"), run::toString);
        assertTrue(run.err().contains("does not exist"), run::toString);
        Run noConfig = fathom("worker");
        assertEquals(2, noConfig.exitCode(), noConfig::toString);
        assertTrue(noConfig.err().contains("--config"), noConfig::toString);
    }

    @Test
    void shouldExitWithTwoNamingTheKeyWhenAWorkerConfigValueIsInvalid() throws IOException {
        Path file = write("bad-port.properties", validWorkerProperties() + "http.port=eighty\n");
        Run badPort = fathom("worker", "--config", file.toString());
        assertEquals(2, badPort.exitCode(), badPort::toString);
        assertTrue(badPort.err().contains("http.port"), badPort::toString);
        assertTrue(badPort.err().contains("bad-port.properties"), badPort::toString);

        Path noBootstrap = write("no-bootstrap.properties", "storage.profile.default.bucket=b\n");
        Run missingKey = fathom("worker", "--config", noBootstrap.toString());
        assertEquals(2, missingKey.exitCode(), missingKey::toString);
        assertTrue(missingKey.err().contains("bootstrap.servers"), missingKey::toString);

        Path valid = write("valid.properties", validWorkerProperties());
        Run badOverride = fathom("worker", "--config", valid.toString(), "--set", "max.in.flight.jobs=0");
        assertEquals(2, badOverride.exitCode(), badOverride::toString);
        assertTrue(badOverride.err().contains("max.in.flight.jobs"), badOverride::toString);

        Run badProfile = fathom("worker", "--config", valid.toString(), "--set",
                "storage.profile.default.access.key=AKIA");
        assertEquals(2, badProfile.exitCode(), badProfile::toString);
        assertTrue(badProfile.err().contains("storage.profile.default.secret.key"), badProfile::toString);
    }

    static String validWorkerProperties() {
        return "bootstrap.servers=localhost:1\nworker.id=w1\nstorage.profile.default.bucket=wal\n";
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(tmp.resolve(name), content);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
