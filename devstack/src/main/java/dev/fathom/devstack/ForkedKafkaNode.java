package dev.fathom.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A KRaft node running as a child JVM ({@code java -cp <classpath> kafka.Kafka node<i>.properties}) with its
 * output appended to {@code dataDir/node<i>.log}. Killed with SIGKILL, never SIGTERM: a graceful stop stalls once
 * the quorum is gone. A JVM shutdown hook kills the child if this JVM exits first. Not thread-safe; owned by
 * {@link LocalKafka}.
 */
final class ForkedKafkaNode implements KafkaNode {

    private static final Logger log = LoggerFactory.getLogger(ForkedKafkaNode.class);
    // C1 only and a serial GC: a local broker starts faster and needs little memory. Timestamps help when an
    // slf4j-simple binding is on the classpath (tests); other bindings ignore these properties.
    private static final List<String> JVM_FLAGS = List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
    private static final int LOG_TAIL_LINES = 30;

    private final int index;
    private final Path propertiesFile;
    private final Path logFile;
    private final String classpath;
    private Process process;
    private Thread shutdownHook;

    ForkedKafkaNode(int index, Path dataDir, String classpath) {
        this.index = index;
        this.propertiesFile = KafkaServerProperties.file(dataDir, index).toAbsolutePath();
        this.logFile = dataDir.resolve("node" + index + ".log").toAbsolutePath();
        this.classpath = classpath;
    }

    @Override
    public void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        if (shutdownHook != null) {
            removeShutdownHook(); // the previous process died on its own
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.addAll(List.of("-cp", classpath, "kafka.Kafka", propertiesFile.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not fork Kafka node " + index + " (log " + logFile + ")", e);
        }
        Process p = process;
        shutdownHook = new Thread(p::destroyForcibly, "kafka-node-" + index + "-killer");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        log.info("Forked Kafka node {} as pid {}; output goes to {}", index, p.pid(), logFile);
    }

    @Override
    public void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                log.warn("Kafka node {} (pid {}) did not exit 10 s after SIGKILL", index, process.pid());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        removeShutdownHook();
        process = null;
    }

    @Override
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public Optional<String> failure() {
        if (process == null || process.isAlive()) {
            return Optional.empty();
        }
        return Optional.of("Kafka node " + index + " (pid " + process.pid() + ") exited with code " + process.exitValue()
                + "; see " + logFile + ". Last lines:\n" + logTail());
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(could not read " + logFile + ": " + e + ")";
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook will kill an already dead process, which is harmless
        }
        shutdownHook = null;
    }
}
