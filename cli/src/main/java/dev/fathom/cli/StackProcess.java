package dev.fathom.cli;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One child JVM of a {@code fathom stack} running a {@code fathom} command ({@code java -cp <this JVM's classpath>
 * dev.fathom.cli.FathomCli worker --config ...}), its output appended to a log file. {@link #stop} asks it to stop
 * (SIGTERM: the command's own clean shutdown) and SIGKILLs it after a grace period; a JVM shutdown hook SIGKILLs it if
 * this JVM exits first, so no child outlives the stack. Thread-safe.
 */
final class StackProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StackProcess.class);
    // Serial GC, a bounded heap and C1 only: several of these start at once on a laptop next to three Kafka nodes,
    // and C2 compiling Kafka and Streams code would compete with them for the cores during startup.
    private static final List<String> JVM_FLAGS = List.of("-Xms64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    /** FATHOM_* variables a child keeps: how it logs. Every other one would override its generated config. */
    private static final Set<String> INHERITED_FATHOM_VARIABLES = Set.of("FATHOM_LOG_FORMAT", "FATHOM_LOG_LEVEL");

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Thread killer;

    private StackProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.killer = new Thread(process::destroyForcibly, "stack-" + name + "-killer");
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /**
     * Forks {@code fathom <args>} named {@code name} with at most {@code maxHeapMb} MiB of heap.
     *
     * @throws UncheckedIOException naming the process and its log when it cannot be started
     */
    static StackProcess start(String name, int maxHeapMb, List<String> args, Path logFile) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.add("-Xmx" + maxHeapMb + "m");
        command.addAll(List.of("-cp", classpath(), FathomCli.class.getName()));
        command.addAll(args);
        Path log = logFile.toAbsolutePath();
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            // Configuration variables (FATHOM_BOOTSTRAP_SERVERS, ...) rank above --config files: a child inheriting
            // them would not run the configuration the stack generated for it.
            builder.environment().keySet().removeIf(v -> v.startsWith("FATHOM_")
                    && !INHERITED_FATHOM_VARIABLES.contains(v));
            Process p = builder.start();
            StackProcess child = new StackProcess(name, p, log);
            StackProcess.log.debug("Started {} as pid {}: fathom {}; output goes to {}", name, p.pid(),
                    String.join(" ", args), log);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name + " (fathom " + String.join(" ", args) + ", log "
                    + log + ")", e);
        }
    }

    /**
     * This JVM's classpath with every entry made absolute, so the child finds it whatever its working directory
     * ({@code java -jar fathom.jar} puts the jar's path as given on the command line there).
     */
    static String classpath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    Path logFile() {
        return logFile;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code once the process ended, empty while it runs. */
    OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /**
     * Sends SIGTERM, waits up to {@code grace} for the process to end, then SIGKILLs it. Returns once it is gone.
     * Idempotent.
     */
    void stop(Duration grace) {
        if (!process.isAlive()) {
            removeKiller();
            return;
        }
        process.destroy();
        if (!await(grace)) {
            log.warn("{} (pid {}) did not stop within {} s of SIGTERM; killing it (see {})", name, pid(),
                    grace.toSeconds(), logFile);
            process.destroyForcibly();
            await(Duration.ofSeconds(10));
        }
        removeKiller();
    }

    /** SIGKILLs the process if it still runs and waits until it is gone. */
    @Override
    public void close() {
        process.destroyForcibly();
        await(Duration.ofSeconds(10));
        removeKiller();
    }

    private boolean await(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
    }

    private void removeKiller() {
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already; the hook then kills a process that is gone, which is harmless
        }
    }
}
