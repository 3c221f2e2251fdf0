package dev.fathom.worker;

import java.util.Map;

/**
 * What the segment loop looked like at one moment, taken on the poll thread by {@link LoopSampler} and read by the
 * gauges of {@link WorkerMetrics} and by {@link WorkerReadiness} on other threads. Immutable and thread-safe.
 *
 * @param joined whether the segments consumer is a member of its group (it may legitimately own no partition)
 * @param assignedPartitions partitions of the segments topic this worker owns
 * @param pausedPartitions owned partitions paused by the backlog limits
 * @param jobsInFlight segment jobs running on the job pool
 * @param backlogBytes frame bytes of segments assembled but not finished
 * @param backlogSegments segments assembled but not finished
 * @param segmentLag per owned partition: records behind the end offset (not fetched yet, or fetched but unfinished)
 * @param frameLagSum sum over the namespaces with unfinished segments of (newest end frame − durable frame no)
 * @param frameLagMax the largest of those per-namespace frame lags
 * @param laggingNamespaces how many namespaces have unfinished segments
 */
record LoopSample(boolean joined, int assignedPartitions, int pausedPartitions, int jobsInFlight, long backlogBytes,
                  int backlogSegments, Map<Integer, Long> segmentLag, long frameLagSum, long frameLagMax,
                  int laggingNamespaces) {

    /** Before the first sample and after the loop stopped: not in the group, nothing owned. */
    static final LoopSample STOPPED = new LoopSample(false, 0, 0, 0, 0, 0, Map.of(), 0, 0, 0);

    LoopSample {
        segmentLag = Map.copyOf(segmentLag);
    }
}
