package dev.fathom.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.producer.FathomStorage;
import dev.fathom.producer.FathomStorageConfig;
import dev.fathom.testkit.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite (docs/RELIABILITY.md): forked workers under a steady multi-namespace load while workers are killed
 * -9 at random moments, a Kafka node of three is SIGKILLed and restarted, S3 is stopped and restarted, and workers
 * join and leave in storms. At the end every stored segment must be durable, nothing lost, the durable frame never
 * decreased, no segment stored under two keys, and every namespace restores to exactly what was stored. Prints the
 * summary table and writes it to {@code target/faults-summary.md}. {@code -Dfaults.plan=ci} (default) runs in
 * {@code mvn verify}; {@code full} is the long run.
 */
class FaultSuiteIT {

    @TempDir
    Path tmp;

    private final FaultPlan plan = FaultPlan.fromSystemProperties();
    private final FaultTally tally = new FaultTally();
    private final FaultSummary summary = new FaultSummary().row("plan", plan.name() + " (seed " + plan.seed() + ")");
    private final long started = System.nanoTime();

    @Test
    void shouldLoseNothingAndNeverRegressUnderWorkerBrokerAndStorageFaults() throws IOException {
        try (FaultCluster cluster = FaultCluster.start(tmp, plan)) {
            for (int i = 1; i <= plan.workers(); i++) {
                cluster.startWorker("worker-" + i);
            }
            try (DurableFrameWatcher watcher = new DurableFrameWatcher(cluster.bootstrapServers(),
                    cluster.topics().meta());
                 FathomStorage storage = FathomStorage.start(new FathomStorageConfig(cluster.nodeConfig()))) {
                SteadyLoad load = new SteadyLoad(storage, plan.namespaces(), plan.seed());
                load.start(plan.loadInterval());
                long faultsStart = System.nanoTime();
                new FaultSchedule(cluster, plan, tally).run();
                Duration faultPhase = Duration.ofNanos(System.nanoTime() - faultsStart);
                load.stop();
                Duration drain = drain(load, watcher);
                summary.row("fault phase / drain after load stopped", FaultSummary.seconds(faultPhase) + " / "
                        + FaultSummary.seconds(drain));
                checkEverything(cluster, load, watcher);
            }
        }
    }

    /** Waits until every stored segment was reported durable and the meta topic shows every namespace's end. */
    private Duration drain(SteadyLoad load, DurableFrameWatcher watcher) {
        long t0 = System.nanoTime();
        Await.until(plan.drainTimeout(), () -> load.allDurable() || !load.failures().isEmpty(),
                "every stored segment to be reported durable");
        Await.until(Duration.ofSeconds(60), () -> watcher.durable().equals(expectedEnds(load))
                || watcher.failure() != null, "the meta topic to show every namespace durable to its end");
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    private void checkEverything(FaultCluster cluster, SteadyLoad load, DurableFrameWatcher watcher)
            throws IOException {
        StoredStateCheck stored = new StoredStateCheck(cluster.s3().client(), cluster.bucket());
        Files.createDirectories(tmp.resolve("restored"));
        List<String> duplicates = stored.duplicateKeys();
        List<String> missing = stored.missingOrExtraObjects(load.databases());
        List<String> restores = stored.restoreMismatches(load.databases(), tmp.resolve("restored"));
        summarise(cluster, load, watcher);
        summary.row("objects in the bucket", stored.objectCount())
                .row("segments stored under two keys", duplicates.size())
                .row("missing or unexpected objects", missing.size())
                .row("namespaces restored equal to the stored content", (plan.namespaces() - restores.size()) + " / "
                        + plan.namespaces())
                .latencies(load.latenciesMs())
                .row("wall time", FaultSummary.seconds(Duration.ofNanos(System.nanoTime() - started)));
        report();

        assertTrue(load.failures().isEmpty(), () -> "callbacks reported failures: " + load.failures());
        assertEquals(load.stored(), load.durableSegments(), "every stored segment reported durable once");
        assertNull(watcher.failure(), "the meta watcher kept reading");
        assertEquals(List.of(), watcher.violations(), "durable frames only increase");
        assertEquals(expectedEnds(load), watcher.durable(), "durable frame per namespace on the meta topic");
        assertEquals(load.stored(), watcher.records(), "one committed meta record per segment");
        assertEquals(List.of(), duplicates, "no segment under two keys");
        assertEquals(List.of(), missing, "one data and one index object per stored segment");
        assertEquals(List.of(), restores, "every namespace restores to what was stored");
        assertEquals(List.of(), tally.unexpectedExits(), "no worker died on its own");
    }

    private void summarise(FaultCluster cluster, SteadyLoad load, DurableFrameWatcher watcher) {
        int lost = load.stored() - load.durableSegments() + load.failures().size();
        summary.row("forked workers (steady) / namespaces / partitions", plan.workers() + " / " + plan.namespaces()
                        + " / " + plan.partitions())
                .row("worker kills (kill -9)", tally.workerKills())
                .row("worker JVM launches", cluster.workerLaunches())
                .row("rebalance storm workers joined / left", tally.stormJoins() + " / " + tally.stormLeaves())
                .row("Kafka node SIGKILLs (of 3) / restart ready after", tally.brokerKills() + " / "
                        + FaultSummary.seconds(tally.brokerRestarts()))
                .row("S3 outage", FaultSummary.seconds(tally.s3Outage()))
                .row("unexpected worker exits", tally.unexpectedExits().size())
                .row("segments stored", load.stored())
                .row("segments reported durable", load.durableSegments())
                .row("segments lost (callback failure or never durable)", lost)
                .row("committed meta records (one per segment expected)", watcher.records())
                .row("durable frame regressions or duplicate commits", watcher.violations().size());
    }

    private static Map<String, Long> expectedEnds(SteadyLoad load) {
        Map<String, Long> ends = new TreeMap<>();
        load.databases().forEach(db -> ends.put(db.namespace(), db.lastFrameNo()));
        return ends;
    }

    private void report() throws IOException {
        String table = summary.toMarkdown();
        System.out.println("Fault suite summary\n" + table);
        Files.writeString(Path.of("target", "faults-summary.md"), table, StandardCharsets.UTF_8);
    }
}
