package dev.fathom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fathom.testkit.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded {@code target/fathom.jar} runs as users run it: {@code java -jar fathom.jar dev} comes up and serves, stops
 * cleanly on SIGTERM, and starts again on its data; exit codes come from the real {@code main}.
 */
class FathomJarIT {

    private static final Path JAR = Path.of("target", "fathom.jar");
    private static final Pattern HTTP_API = Pattern.compile("HTTP API\\s+(http://\\S+)");
    private static final Pattern KAFKA = Pattern.compile("Kafka\\s+(\\S+)\\s+\\(bootstrap.servers\\)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final List<Process> started = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void killLeftovers() {
        started.stream().filter(Process::isAlive).forEach(Process::destroyForcibly);
    }

    @Test
    @Timeout(60)
    void shouldExitWithTheDocumentedCodes() throws Exception {
        assumeTrue(Files.exists(JAR), "run 'mvn package' first: " + JAR.toAbsolutePath());
        assertEquals(0, run(tmp.resolve("version.log"), "--version").waitFor());
        assertEquals(2, run(tmp.resolve("usage.log"), "dev", "--partitions", "0").waitFor());
        Process missing = run(tmp.resolve("missing.log"), "worker", "--config", "missing.properties");
        assertEquals(2, missing.waitFor());
        assertTrue(Files.readString(tmp.resolve("missing.log")).contains("missing.properties"));
    }

    @Test
    @Timeout(300)
    void shouldStartServeStopAndRestartTheDevStackFromTheShadedJar() throws Exception {
        assumeTrue(Files.exists(JAR), "run 'mvn package' first: " + JAR.toAbsolutePath());
        Path dataDir = tmp.resolve("data");
        String[] dev = {"dev", "--data-dir", dataDir.toString(), "--kafka-port", "0", "--s3-port", "0",
            "--http-port", "0"};

        Path firstLog = tmp.resolve("first.log");
        Process first = run(firstLog, dev);
        String bootstrap = awaitServing(first, firstLog);
        stopAndCheck(first, firstLog, dataDir);

        Path secondLog = tmp.resolve("second.log");
        Process second = run(secondLog, dev);
        assertEquals(bootstrap, awaitServing(second, secondLog), "the second start keeps the Kafka address");
        stopAndCheck(second, secondLog, dataDir);
    }

    /** Waits for the banner, checks /health answers UP and returns the Kafka bootstrap address. */
    private static String awaitServing(Process process, Path log) {
        String banner = Await.value(START_TIMEOUT, () -> read(log), out -> HTTP_API.matcher(out).find()
                || !process.isAlive(), "the dev banner in " + log);
        assertTrue(process.isAlive(), () -> "fathom dev exited early:\n" + banner);
        Matcher api = HTTP_API.matcher(banner);
        assertTrue(api.find());
        URI health = URI.create(api.group(1) + "/health");
        String body = Await.value(Duration.ofSeconds(30), () -> get(health), b -> b.contains("\"UP\""),
                "GET " + health);
        assertTrue(body.contains("RUNNING"), body);
        Matcher kafka = KAFKA.matcher(banner);
        assertTrue(kafka.find(), banner);
        return kafka.group(1);
    }

    private static void stopAndCheck(Process process, Path log, Path dataDir) throws InterruptedException {
        process.destroy(); // SIGTERM: the same shutdown hook as Ctrl-C
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "fathom dev stops within 60 s of SIGTERM");
        assertEquals(128 + 15, process.exitValue(), "exit status after SIGTERM");
        String out = read(log);
        assertTrue(out.contains("Stopped; data kept in " + dataDir.toAbsolutePath()), out);
        assertFalse(out.contains("Exception"), () -> "no exception on a clean run:\n" + out);
    }

    private Process run(Path log, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx1g", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            started.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + command, e);
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String get(URI uri) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
