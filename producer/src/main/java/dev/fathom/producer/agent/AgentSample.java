package dev.fathom.producer.agent;

/**
 * What the agent's gauges show, taken from its storage and tailers once per scrape. Immutable.
 *
 * @param databases databases being shipped (a tailer exists for each)
 * @param outboxBytes bytes of segments in the outbox (stored, not yet durable); 0 without outbox.dir
 * @param outboxEntries segments in the outbox
 * @param lagSumFrames sum over the shipped namespaces of (last stored frame - durable frame)
 * @param lagMaxFrames the largest of those differences
 * @param committedTransactions publishing transactions committed since start
 * @param failedTransactions publishing transactions that failed and were retried since start
 */
record AgentSample(int databases, long outboxBytes, long outboxEntries, long lagSumFrames, long lagMaxFrames,
                   long committedTransactions, long failedTransactions) {

    /** Before the first scrape. */
    static final AgentSample EMPTY = new AgentSample(0, 0, 0, 0, 0, 0, 0);
}
