package dev.fathom.faults;

import java.time.Duration;

/**
 * How hard one run of the fault suite pushes: the number of workers and namespaces, how many times each fault is
 * injected and how long the S3 outage lasts. {@code -Dfaults.plan=ci} (default, a few minutes at most, part of
 * {@code mvn verify}), {@code medium} or {@code full} (at least 100 worker kills); single values can be overridden
 * with {@code -Dfaults.kills}, {@code -Dfaults.s3.outage.seconds}, {@code -Dfaults.storm.rounds} and
 * {@code -Dfaults.seed}. Immutable value.
 *
 * @param name           ci, medium or full
 * @param workers        workers running at all times (each killed worker is replaced at once)
 * @param namespaces     namespaces written by the steady load
 * @param partitions     partitions of the segments topic
 * @param workerKills    kill -9 of a random worker, at random moments
 * @param brokerRestarts SIGKILL of one Kafka node and its restart
 * @param s3Outage       how long S3 is stopped (once)
 * @param stormRounds    rebalance storm rounds: an extra worker joins, then leaves a few seconds later
 * @param pace           longest random pause between two faults (the shortest is a tenth of it)
 * @param loadInterval   one segment per namespace every this long
 * @param drainTimeout   how long the end of the run waits for every segment to become durable
 * @param seed           seed of every random choice (faults, moments, page contents)
 */
record FaultPlan(String name, int workers, int namespaces, int partitions, int workerKills, int brokerRestarts,
                 Duration s3Outage, int stormRounds, Duration pace, Duration loadInterval, Duration drainTimeout,
                 long seed) {

    /** Reads {@code faults.plan} and the single-value overrides from the system properties. */
    static FaultPlan fromSystemProperties() {
        String name = System.getProperty("faults.plan", "ci");
        FaultPlan base = switch (name) {
            case "ci" -> new FaultPlan("ci", 3, 4, 6, 4, 1, Duration.ofSeconds(10), 1, Duration.ofSeconds(3),
                    Duration.ofMillis(500), Duration.ofMinutes(4), 42);
            case "medium" -> new FaultPlan("medium", 3, 6, 12, 30, 1, Duration.ofSeconds(60), 5,
                    Duration.ofSeconds(4), Duration.ofMillis(500), Duration.ofMinutes(10), 42);
            case "full" -> new FaultPlan("full", 3, 6, 12, 100, 2, Duration.ofSeconds(60), 10, Duration.ofSeconds(4),
                    Duration.ofMillis(500), Duration.ofMinutes(10), 42);
            default -> throw new IllegalArgumentException("Unknown fault plan -Dfaults.plan=" + name
                    + "; use ci, medium or full");
        };
        return new FaultPlan(base.name, base.workers, base.namespaces, base.partitions,
                Integer.getInteger("faults.kills", base.workerKills), base.brokerRestarts,
                Duration.ofSeconds(Long.getLong("faults.s3.outage.seconds", base.s3Outage.toSeconds())),
                Integer.getInteger("faults.storm.rounds", base.stormRounds), base.pace, base.loadInterval,
                base.drainTimeout, Long.getLong("faults.seed", base.seed));
    }
}
