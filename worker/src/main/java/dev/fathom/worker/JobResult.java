package dev.fathom.worker;

/**
 * What a {@link SegmentJob} reports back to the poll thread: the segment was uploaded, refused (poison), or the
 * worker must stop (fatal). Carries the generation of the partition state it was started for, so results of a
 * revoked or rewound partition are dropped. Immutable and thread-safe.
 *
 * @param segment the segment the job worked on
 * @param generation generation of the partition state when the job started
 * @param uploaded where the objects went, when uploaded
 * @param refusal why the segment is refused, when poison
 * @param fatal the failure that must stop the worker, when fatal
 */
record JobResult(AssembledSegment segment, long generation, UploadedSegment uploaded, Refusal refusal,
                 Throwable fatal) {

    static JobResult uploaded(AssembledSegment segment, long generation, UploadedSegment uploaded) {
        return new JobResult(segment, generation, uploaded, null, null);
    }

    static JobResult refused(AssembledSegment segment, long generation, Refusal refusal) {
        return new JobResult(segment, generation, null, refusal, null);
    }

    static JobResult fatal(AssembledSegment segment, long generation, Throwable failure) {
        return new JobResult(segment, generation, null, null, failure);
    }

    int partition() {
        return segment.partition();
    }
}
