package dev.fathom.producer;

/**
 * A snapshot of the publishing loop of a {@link FathomStorage}, for health checks and metrics. Immutable.
 *
 * @param committedTransactions Kafka transactions of segment chunks committed since start
 * @param failedAttempts transactions that failed and were aborted to be retried since start
 * @param lastAttemptFailed the most recent transaction failed (a retry is pending or running): Kafka is unreachable
 *     or refusing, and segments wait in the queue or the outbox
 * @param stopped publishing ended: after shutdown, or after a fatal error that failed every pending segment
 */
public record PublishStatus(long committedTransactions, long failedAttempts, boolean lastAttemptFailed,
                            boolean stopped) {
}
