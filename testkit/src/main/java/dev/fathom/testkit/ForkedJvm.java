package dev.fathom.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a main class on the current module's test classpath, so a test can kill -9 a worker or a
 * node and start it again. The classpath is {@code target/test-classes}, {@code target/classes} and the content of
 * {@code target/test.classpath} (written by maven-dependency-plugin at generate-test-resources), relative to the
 * working directory, which Surefire and Failsafe set to the module directory. Output (stdout and stderr) is appended
 * to a log file. A JVM shutdown hook SIGKILLs the child if the test JVM exits first. Thread-safe; the test closes it.
 */
public final class ForkedJvm implements AutoCloseable {

    private static final List<String> DEFAULT_JVM_ARGS = List.of("-Xmx512m", "-XX:+UseSerialGC");

    private final Process process;
    private final Path logFile;
    private final Thread shutdownHook;

    private ForkedJvm(Process process, Path logFile) {
        this.process = process;
        this.logFile = logFile;
        this.shutdownHook = new Thread(process::destroyForcibly, "forked-jvm-" + process.pid() + "-killer");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts {@code mainClass} with {@code args}, output appended to {@code logFile}. */
    public static ForkedJvm start(String mainClass, List<String> args, Path logFile) {
        return start(mainClass, args, List.of(), logFile);
    }

    /** Starts {@code mainClass} with {@code args} and extra JVM flags (e.g. {@code -Dkey=value}) after the defaults. */
    public static ForkedJvm start(String mainClass, List<String> args, List<String> jvmArgs, Path logFile) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(DEFAULT_JVM_ARGS);
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", moduleClasspath(), mainClass));
        command.addAll(args);
        Path log = logFile.toAbsolutePath();
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new ForkedJvm(p, log);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not fork a JVM for " + mainClass + " (log " + log + ")", e);
        }
    }

    /**
     * The current module's test classpath: target/test-classes, target/classes, then target/test.classpath.
     *
     * @throws IllegalStateException when target/test.classpath is missing (the module's pom lacks the
     *                               maven-dependency-plugin build-classpath execution)
     */
    static String moduleClasspath() {
        Path target = Path.of("target").toAbsolutePath();
        Path file = target.resolve("test.classpath");
        if (!Files.exists(file)) {
            throw new IllegalStateException("No " + file + ": add maven-dependency-plugin build-classpath (includeScope "
                    + "test, outputFile ${project.build.directory}/test.classpath) at generate-test-resources to this "
                    + "module's pom; the working directory must be the module directory");
        }
        try {
            String deps = Files.readString(file, StandardCharsets.UTF_8).trim();
            return String.join(java.io.File.pathSeparator,
                    target.resolve("test-classes").toString(), target.resolve("classes").toString(), deps);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the test classpath " + file, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Sends SIGKILL and waits (up to 10 s) until the process is gone. */
    public void killHard() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    /** Sends SIGTERM (graceful: shutdown hooks run) without waiting; follow with {@link #awaitExit}. */
    public void terminate() {
        process.destroy();
    }

    /**
     * Waits until the process exits and returns its exit code.
     *
     * @throws AssertionError when it is still alive after {@code timeout} (the message has the end of the log)
     */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("Forked JVM pid " + pid() + " still alive after " + timeout.toMillis()
                        + " ms; end of " + logFile + ":\n" + logTail(20));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for forked JVM pid " + pid(), e);
        }
        removeShutdownHook();
        return process.exitValue();
    }

    /** The last {@code lines} lines of the log file, for failure messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(could not read " + logFile + ": " + e + ")";
        }
    }

    /** SIGKILLs the process if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            killHard();
        } else {
            removeShutdownHook();
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already; the hook kills a dead process, which is harmless
        }
    }
}
