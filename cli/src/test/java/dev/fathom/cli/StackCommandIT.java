package dev.fathom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fathom stack} as a user runs it, in a forked JVM (the shaded {@code target/fathom.jar} when the build made it,
 * else this JVM's classpath): 3 Kafka nodes, S3Proxy, 3 worker processes and the demo agent come up; the demo
 * namespace's durable frame advances; after a kill -9 of the worker that answers for it, it keeps advancing through
 * the others; SIGTERM stops the stack with exit code 143 and leaves no child process alive.
 */
class StackCommandIT {

    private static final Path JAR = Path.of("target", "fathom.jar");
    private static final Pattern WORKER = Pattern.compile("(?m)^\\s+(worker-\\d+)\\s+(http://\\S+)\\s+pid (\\d+)");
    private static final Pattern AGENT_API = Pattern.compile("/metrics, /health, /ready at (http://\\S+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);
    private static final Duration ADVANCE_TIMEOUT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ProcessHandle> spawned = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void killLeftovers() {
        spawned.forEach(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
        spawned.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    @Timeout(420)
    void shouldKeepTheDemoDurableFrameAdvancingAfterAWorkerIsKilledAndStopEveryChildOnSigterm() throws Exception {
        Path dataDir = tmp.resolve("stack");
        Path log = tmp.resolve("stack.out");
        long t0 = System.nanoTime();
        Process stack = start(log, "stack", "--data-dir", dataDir.toString(), "--kafka-port", "0", "--s3-port", "0",
                "--http-port", "0", "--status-interval", "2");
        String banner = Await.value(START_TIMEOUT, () -> read(log), out -> WORKER.matcher(out).find()
                && out.contains("Try:") || !stack.isAlive(), "the stack banner in " + log);
        assertTrue(stack.isAlive(), () -> "fathom stack exited early:\n" + banner);
        long started = System.nanoTime();
        Map<String, Worker> workers = workers(banner);
        assertEquals(List.of("worker-1", "worker-2", "worker-3"), List.copyOf(workers.keySet()), banner);
        assertEquals(3 + 3 + 1, ProcessHandle.of(stack.pid()).orElseThrow().children().count(),
                "3 Kafka nodes, 3 workers and the agent are child processes of the stack");

        Durable first = Await.value(ADVANCE_TIMEOUT, () -> durable(workers.values()), d -> d.frameNo() > 0,
                "a durable frame of namespace demo");
        long durableAt = System.nanoTime();
        Matcher agentApi = AGENT_API.matcher(banner);
        assertTrue(agentApi.find(), () -> "the banner names the demo agent's endpoints:\n" + banner);
        String metrics = Await.value(ADVANCE_TIMEOUT, () -> get(URI.create(agentApi.group(1) + "/metrics")),
                m -> m.lines().anyMatch(l -> l.startsWith("fathom_agent_segments_durable_total ")
                        && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) > 0),
                "the demo agent's /metrics to count a durable segment");
        assertTrue(metrics.contains("\nfathom_agent_databases 1"), metrics);
        Worker victim = workers.get(first.servedBy());
        ProcessHandle.of(victim.pid()).orElseThrow().destroyForcibly(); // kill -9 of the worker that answered
        long killedAt = System.nanoTime();
        List<Worker> survivors = workers.values().stream().filter(w -> w != victim).toList();
        Durable after = Await.value(ADVANCE_TIMEOUT, () -> durable(survivors),
                d -> d.frameNo() > first.frameNo() + 20, "the demo durable frame to pass " + (first.frameNo() + 20)
                        + " after " + victim.name() + " was killed");
        long advancedAt = System.nanoTime();
        assertTrue(read(log).contains(victim.name() + " exited 137"), "the status line reports the killed worker");

        List<ProcessHandle> children = ProcessHandle.of(stack.pid()).orElseThrow().descendants().toList();
        stack.destroy(); // SIGTERM, as Ctrl-C or a service manager would
        assertTrue(stack.waitFor(90, TimeUnit.SECONDS), () -> "fathom stack stops within 90 s of SIGTERM:\n"
                + read(log));
        long stoppedAt = System.nanoTime();
        assertEquals(128 + 15, stack.exitValue(), "exit status after SIGTERM");
        String out = read(log);
        assertTrue(out.contains("Stopped; data kept in " + dataDir.toAbsolutePath()), out);
        Await.until(Duration.ofSeconds(10), () -> children.stream().noneMatch(ProcessHandle::isAlive),
                "every child of the stack to be gone: " + children.stream().filter(ProcessHandle::isAlive).toList());
        assertFalse(ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine()
                .map(c -> c.contains(dataDir.toString())).orElse(false)), "no process runs on the data dir any more");
        String agentLog = Files.readString(dataDir.resolve("logs/agent.log"));
        assertTrue(agentLog.contains("Stopped agent"), "the agent stopped cleanly:\n" + agentLog);
        out.lines().filter(l -> l.startsWith("Starting ")).forEach(l -> System.out.println("StackCommandIT: " + l));
        System.out.printf("StackCommandIT: banner after %.1f s, first durable frame %d after %.1f s more; killed %s,"
                + " durable frame %d -> %d %.1f s later; stopped in %.1f s%n", (started - t0) / 1e9, first.frameNo(),
                (durableAt - started) / 1e9, victim.name(), first.frameNo(), after.frameNo(),
                (advancedAt - killedAt) / 1e9, (stoppedAt - advancedAt) / 1e9);
    }

    /** The body of a GET, or "" when it fails (not up yet). */
    private static String get(URI uri) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A worker as the banner lists it. */
    private record Worker(String name, URI api, long pid) {
    }

    /** A durable frame number and the worker that read it from its store (X-Fathom-Served-By). */
    private record Durable(long frameNo, String servedBy) {
    }

    private static Map<String, Worker> workers(String banner) {
        Map<String, Worker> workers = new LinkedHashMap<>();
        Matcher m = WORKER.matcher(banner);
        while (m.find()) {
            workers.put(m.group(1), new Worker(m.group(1), URI.create(m.group(2)), Long.parseLong(m.group(3))));
        }
        return workers;
    }

    /** Asks the workers in turn; the first that answers 200 wins (404 = nothing durable yet). */
    private static Durable durable(Iterable<Worker> workers) {
        for (Worker w : workers) {
            URI uri = w.api().resolve("/v1/namespaces/" + StackSettings.DEMO_NAMESPACE);
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 404) {
                    return new Durable(0, "");
                }
                if (r.statusCode() == 200) {
                    return new Durable(JSON.readTree(r.body()).path("durableFrameNo").asLong(),
                            r.headers().firstValue("X-Fathom-Served-By").orElseThrow());
                }
            } catch (IOException e) {
                // a killed or rebalancing worker; ask the next one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("no worker answered GET /v1/namespaces/demo");
    }

    private Process start(Path log, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m"));
        if (Files.exists(JAR)) {
            command.addAll(List.of("-jar", JAR.toString()));
        } else {
            command.addAll(List.of("-cp", StackProcess.classpath(), FathomCli.class.getName()));
        }
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            spawned.add(process.toHandle());
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
}
