package dev.fathom.worker;

/**
 * The poll thread's mutable pipeline state, shared by the components of {@link SegmentEventLoop}: assigned
 * partitions, the per-namespace queues and the batch of the next transaction. Not thread-safe; owned by the poll
 * thread.
 *
 * @param partitions state of each assigned partition
 * @param scheduler per-namespace queues and the job pool
 * @param batch records waiting for the next transaction
 */
record PipelineState(AssignedPartitions partitions, NamespaceScheduler scheduler, CommitBatch batch) {

    /** Drops everything this worker holds for {@code partition}; in-flight jobs are cancelled, results ignored. */
    void forget(int partition) {
        scheduler.forgetPartition(partition);
        batch.removePartition(partition);
        partitions.remove(partition);
    }
}
