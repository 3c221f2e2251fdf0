package dev.fathom.cli;

import java.io.IOException;
import java.time.Clock;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Builds the status line {@code fathom stack} prints periodically: the demo namespace's durable frame number (asked
 * from the first live worker that answers, so a killed worker does not blank the line), how far it moved since the
 * previous line, the demo load's transactions, and which children are up. Not thread-safe; owned by the command's
 * thread.
 */
final class StackStatus {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final StackServices stack;
    private final StackProbe probe = new StackProbe();
    private final Clock clock;
    private long previousDurable = -1;

    StackStatus(StackServices stack, Clock clock) {
        this.stack = stack;
        this.clock = clock;
    }

    /** Asks the workers and returns one line (no line separator). */
    String line() throws InterruptedException {
        StringBuilder line = new StringBuilder(LocalTime.now(clock).format(TIME)).append("  ");
        List<StackServices.StackWorker> workers = stack.workers();
        if (stack.load() != null) {
            line.append(durablePart(workers)).append(", ").append(stack.load().transactions())
                    .append(" transactions written");
            if (stack.load().failure() != null) {
                line.append(" (last write: ").append(stack.load().failure()).append(')');
            }
            line.append("; ");
        }
        List<String> down = new ArrayList<>();
        for (StackServices.StackWorker w : workers) {
            if (!w.process().isAlive()) {
                down.add(w.process().name() + " exited " + w.process().exitCode().orElse(-1));
            }
        }
        line.append("workers ").append(workers.size() - down.size()).append('/').append(workers.size()).append(" up");
        if (!down.isEmpty()) {
            line.append(" (").append(String.join(", ", down)).append(')');
        }
        StackProcess agent = stack.agent();
        if (agent != null) {
            line.append(agent.isAlive() ? "; agent up" : "; agent exited " + agent.exitCode().orElse(-1)
                    + ", see " + agent.logFile());
        }
        return line.toString();
    }

    private String durablePart(List<StackServices.StackWorker> workers) throws InterruptedException {
        String ns = StackSettings.DEMO_NAMESPACE;
        for (StackServices.StackWorker w : workers) {
            if (!w.process().isAlive()) {
                continue;
            }
            try {
                OptionalLong durable = probe.durableFrameNo(w.httpApi(), ns);
                if (durable.isEmpty()) {
                    return ns + " not durable yet";
                }
                long now = durable.getAsLong();
                String delta = previousDurable < 0 ? "" : " (+" + (now - previousDurable) + ")";
                previousDurable = now;
                return ns + " durable frame " + now + delta;
            } catch (IOException e) {
                // try the next live worker: this one may be rebalancing or just killed
            }
        }
        return ns + " durable frame unknown (no worker answered)";
    }
}
