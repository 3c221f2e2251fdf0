package dev.fathom.producer.agent;

import dev.fathom.producer.PublishStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides whether an agent is ready ({@code GET /ready}): every database it found is being tailed, and publishing
 * works (the last Kafka transaction succeeded, or segments still become durable after the latest failed one, so the
 * outbox drains). Each check carries a sentence naming what failed. Stateless; thread-safe.
 */
final class AgentReadiness {

    /** How many namespaces a detail sentence names before it says "and N more". */
    private static final int NAMED = 5;

    private AgentReadiness() {
    }

    /** One readiness check: its name, whether it passed, and a sentence saying why. */
    record Check(String name, boolean ok, String detail) {
    }

    /** Every check, in a fixed order. */
    record Report(List<Check> checks) {

        boolean ready() {
            return checks.stream().allMatch(Check::ok);
        }

        List<String> failed() {
            return checks.stream().filter(c -> !c.ok()).map(Check::name).toList();
        }
    }

    /** The tailing state of one database found by the last scan. */
    record Tailing(boolean tailed, boolean shipping, int failedPolls) {
    }

    /**
     * Passes when the agent scanned at least once and every namespace found has a tailer that ships it (base snapshot
     * taken or position resumed) and whose last poll succeeded.
     */
    static Check databases(boolean scanned, Map<String, Tailing> found) {
        if (!scanned) {
            return new Check("databases", false, "the first scan for databases has not finished yet");
        }
        Set<String> waiting = new TreeSet<>();
        List<String> failing = new ArrayList<>();
        found.forEach((ns, t) -> {
            if (t.failedPolls() > 0) {
                failing.add(ns + " (" + t.failedPolls() + " failed polls in a row)");
            } else if (!t.tailed() || !t.shipping()) {
                waiting.add(ns);
            }
        });
        if (!failing.isEmpty()) {
            return new Check("databases", false, "polls are failing for " + named(failing));
        }
        if (!waiting.isEmpty()) {
            return new Check("databases", false, "not shipping yet (base snapshot pending or first poll not run): "
                    + named(List.copyOf(waiting)));
        }
        return new Check("databases", true, found.isEmpty() ? "no database found yet; nothing to ship"
                : "shipping every database found: " + named(List.copyOf(new TreeSet<>(found.keySet()))));
    }

    /**
     * Passes while publishing runs and either its last transaction succeeded or a segment became durable after the
     * latest failed attempt ({@code failedAtLastDurable} = the storage's failed-attempt count then).
     */
    static Check publishing(PublishStatus status, long failedAtLastDurable) {
        if (status.stopped()) {
            return new Check("publishing", false, "publishing to Kafka stopped (shutdown, or a fatal error that"
                    + " failed every pending segment; see the log)");
        }
        if (!status.lastAttemptFailed()) {
            return new Check("publishing", true, status.committedTransactions() + " transactions committed, the"
                    + " last attempt succeeded");
        }
        if (failedAtLastDurable >= status.failedAttempts()) {
            return new Check("publishing", true, "the last transaction failed and is retried, but segments still"
                    + " become durable (the outbox drains)");
        }
        return new Check("publishing", false, "the last transaction failed (" + status.failedAttempts()
                + " failed attempts since start) and nothing became durable since; segments wait in the queue or"
                + " the outbox until Kafka answers");
    }

    private static String named(List<String> names) {
        String shown = String.join(", ", names.subList(0, Math.min(NAMED, names.size())));
        return names.size() > NAMED ? shown + " and " + (names.size() - NAMED) + " more" : shown;
    }
}
