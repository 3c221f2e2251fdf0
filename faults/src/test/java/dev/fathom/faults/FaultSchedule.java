package dev.fathom.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Injects the faults of a {@link FaultPlan} in a random order at random moments while the load runs: worker kills
 * (each victim comes back at once under the same id), broker SIGKILL + restart, one S3 outage and rebalance storms
 * (two extra workers join, then leave a few seconds later, one gracefully and one by SIGKILL). Workers that die on
 * their own are counted and replaced. Not thread-safe; runs on the test thread.
 */
final class FaultSchedule {

    /** The kinds of fault, in the order they are first listed before shuffling. */
    enum Fault { WORKER_KILL, BROKER_RESTART, S3_OUTAGE, REBALANCE_STORM }

    private final FaultCluster cluster;
    private final FaultPlan plan;
    private final Random random;
    private final FaultTally tally;

    FaultSchedule(FaultCluster cluster, FaultPlan plan, FaultTally tally) {
        this.cluster = cluster;
        this.plan = plan;
        this.random = new Random(plan.seed() ^ 0x5eed);
        this.tally = tally;
    }

    /** Runs every fault of the plan, then returns. */
    void run() {
        List<Fault> faults = new ArrayList<>();
        faults.addAll(Collections.nCopies(plan.workerKills(), Fault.WORKER_KILL));
        faults.addAll(Collections.nCopies(plan.brokerRestarts(), Fault.BROKER_RESTART));
        faults.add(Fault.S3_OUTAGE);
        faults.addAll(Collections.nCopies(plan.stormRounds(), Fault.REBALANCE_STORM));
        Collections.shuffle(faults, random);
        int storm = 0;
        for (Fault fault : faults) {
            pace(plan.pace());
            replaceDeadWorkers();
            switch (fault) {
                case WORKER_KILL -> killRandomWorker();
                case BROKER_RESTART -> restartRandomBroker();
                case S3_OUTAGE -> s3Outage();
                case REBALANCE_STORM -> storm(++storm);
            }
        }
        replaceDeadWorkers();
    }

    private void killRandomWorker() {
        List<String> ids = cluster.workerIds();
        String victim = ids.get(random.nextInt(ids.size()));
        cluster.killWorker(victim);
        tally.workerKilled();
        cluster.startWorker(victim);
    }

    private void restartRandomBroker() {
        int node = random.nextInt(cluster.brokers());
        cluster.killBroker(node);
        tally.brokerKilled();
        pace(Duration.ofSeconds(8));
        long t0 = System.nanoTime();
        cluster.restartBroker(node);
        tally.brokerRestarted(Duration.ofNanos(System.nanoTime() - t0));
    }

    private void s3Outage() {
        cluster.stopS3();
        long t0 = System.nanoTime();
        pauseExactly(plan.s3Outage());
        cluster.startS3();
        tally.s3Outage(Duration.ofNanos(System.nanoTime() - t0));
    }

    private void storm(int round) {
        String graceful = "storm-" + round + "a";
        String killed = "storm-" + round + "b";
        cluster.startWorker(graceful);
        cluster.startWorker(killed);
        tally.stormJoined(2);
        pace(Duration.ofSeconds(6));
        cluster.stopWorker(graceful);
        cluster.killWorker(killed);
        tally.stormLeft(2);
    }

    private void replaceDeadWorkers() {
        cluster.deadWorkers().forEach((id, logTail) -> {
            tally.unexpectedExit("worker " + id + " exited on its own; " + logTail);
            cluster.killWorker(id); // reaps the dead process and forgets it
            cluster.startWorker(id);
        });
    }

    /** Waits a random tenth-to-whole of {@code longest}. */
    private void pace(Duration longest) {
        long max = longest.toMillis();
        pauseExactly(Duration.ofMillis(max / 10 + (long) (random.nextDouble() * (max - max / 10))));
    }

    /**
     * Pacing between faults, not synchronisation: nothing here waits for a state to be reached (the checks at the
     * end wait with deadlines), the pause only decides at which random moment the next fault strikes.
     */
    private static void pauseExactly(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while pacing the faults", e);
        }
    }
}
