package dev.fathom.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Counts the faults injected in one run, for the summary table. Not thread-safe; owned by the test thread. */
final class FaultTally {

    private int workerKills;
    private int brokerKills;
    private final List<Duration> brokerRestarts = new ArrayList<>();
    private Duration s3Outage = Duration.ZERO;
    private int stormJoins;
    private int stormLeaves;
    private final List<String> unexpectedExits = new ArrayList<>();

    void workerKilled() {
        workerKills++;
    }

    void brokerKilled() {
        brokerKills++;
    }

    void brokerRestarted(Duration took) {
        brokerRestarts.add(took);
    }

    void s3Outage(Duration lasted) {
        s3Outage = s3Outage.plus(lasted);
    }

    void stormJoined(int workers) {
        stormJoins += workers;
    }

    void stormLeft(int workers) {
        stormLeaves += workers;
    }

    void unexpectedExit(String what) {
        unexpectedExits.add(what);
    }

    int workerKills() {
        return workerKills;
    }

    int brokerKills() {
        return brokerKills;
    }

    List<Duration> brokerRestarts() {
        return List.copyOf(brokerRestarts);
    }

    Duration s3Outage() {
        return s3Outage;
    }

    int stormJoins() {
        return stormJoins;
    }

    int stormLeaves() {
        return stormLeaves;
    }

    List<String> unexpectedExits() {
        return List.copyOf(unexpectedExits);
    }
}
