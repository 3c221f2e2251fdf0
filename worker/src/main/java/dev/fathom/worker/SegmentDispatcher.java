package dev.fathom.worker;

import dev.fathom.schemas.DeadLetterReason;
import dev.fathom.schemas.NamespacePartitioner;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what happens to the segment at the head of each namespace's queue, against the namespace's accepted frame
 * number ({@link PartitionState#acceptedFrameNo}: the committed durable frame number, or the end of the previous
 * segment when that one is uploaded and waits in the commit batch, so the next upload overlaps that commit):
 * acknowledge a replay without work, start a {@link SegmentJob} for the next segment, or refuse it with a dead letter
 * (blocked namespace, invalid content, unknown profile, wrong partition, gap, overlap), after which the namespace is
 * blocked in this worker. A blocked namespace is unblocked by a valid segment that starts exactly at durable + 1 (the
 * missing segment, published again or replayed with {@code fathom dlq replay}), so a gap is never skipped; a replay of
 * frames already durable is acknowledged, blocked or not. Refusals and acknowledgements finish the record offsets at
 * once; they are committed with the next transaction. Not thread-safe; owned by the poll thread.
 */
final class SegmentDispatcher {

    private static final Logger log = LoggerFactory.getLogger(SegmentDispatcher.class);

    private final PipelineState state;
    private final StorageProfiles profiles;
    private final DeadLetterWriter deadLetters;
    private final JobLauncher launcher;
    private final int segmentsPartitions;

    SegmentDispatcher(PipelineState state, StorageProfiles profiles, DeadLetterWriter deadLetters,
                      JobLauncher launcher, int segmentsPartitions) {
        this.state = state;
        this.profiles = profiles;
        this.deadLetters = deadLetters;
        this.launcher = launcher;
        this.segmentsPartitions = segmentsPartitions;
    }

    /** Decides for queue heads until the job pool is full or no namespace has a segment waiting. */
    void dispatch() {
        NamespaceScheduler scheduler = state.scheduler();
        while (scheduler.hasCapacity()) {
            Optional<AssembledSegment> next = scheduler.next();
            if (next.isEmpty()) {
                return;
            }
            AssembledSegment segment = next.get();
            state.partitions().get(segment.partition()).ifPresentOrElse(p -> decide(segment, p),
                    () -> scheduler.finish(segment));
        }
    }

    /** Refuses {@code segment}: dead letter into the batch, namespace blocked, offsets finished, lane released. */
    void refuse(AssembledSegment segment, PartitionState partition, Refusal refusal) {
        SegmentSource source = segment.source();
        long durable = partition.acceptedFrameNo(source.namespace());
        state.batch().addRefusal(source.partition(), deadLetters.forSegment(source, refusal, durable));
        partition.block(source);
        partition.offsets().finished(source.offsets());
        state.scheduler().finish(segment);
        log.error("Dead-lettered ({}): {}. Namespace {} stops advancing in this worker until an operator acts;"
                + " other namespaces continue", refusal.code(), refusal.reason(), source.printableNamespace());
    }

    private void decide(AssembledSegment segment, PartitionState partition) {
        SegmentSource source = segment.source();
        long durable = partition.acceptedFrameNo(source.namespace());
        Optional<Refusal> refusal = refusalOf(segment, partition, durable);
        if (refusal.isPresent()) {
            refuse(segment, partition, refusal.get());
        } else if (Contiguity.of(durable, source.startFrameNo(), source.endFrameNo()) == Contiguity.REPLAY) {
            partition.offsets().finished(source.offsets());
            state.scheduler().finish(segment);
            state.batch().addReplay(source.partition(), source.offsets());
            log.info("Acknowledged {} without work: it ends at frame {} and the durable frame no is already {}; {}",
                    source.name(), source.endFrameNo(), durable, source.where());
        } else {
            partition.unblock(source.namespace()).ifPresent(blocker -> log.info("Namespace {} is unblocked: {}"
                    + " starts at frame {}, right after the durable frame no {}; it was blocked since {} ({}) was"
                    + " refused", source.namespace(), source.name(), source.startFrameNo(), durable, blocker.name(),
                    blocker.where()));
            SegmentUploader uploader = profiles.uploader(source.profile()).orElseThrow();
            state.scheduler().submit(segment, launcher.job(segment, partition.generation(), uploader));
        }
    }

    private Optional<Refusal> refusalOf(AssembledSegment segment, PartitionState partition, long durable) {
        SegmentSource source = segment.source();
        Contiguity contiguity = Contiguity.of(durable, source.startFrameNo(), source.endFrameNo());
        Optional<SegmentSource> blocker = partition.blockedBy(source.namespace());
        // Only the segment right after the durable frame (it may unblock) or a harmless replay passes a block.
        if (blocker.isPresent() && contiguity != Contiguity.NEXT && contiguity != Contiguity.REPLAY) {
            return Optional.of(new Refusal(DeadLetterReason.BLOCKED_NAMESPACE, source.sentence("is refused because"
                    + " namespace " + source.namespace() + " is blocked since " + blocker.get().name() + " ("
                    + blocker.get().where() + ") was refused; the namespace does not advance until an operator"
                    + " acts")));
        }
        if (!segment.isValid()) {
            return Optional.of(segment.refusal());
        }
        if (profiles.uploader(source.profile()).isEmpty()) {
            return Optional.of(new Refusal(DeadLetterReason.UNKNOWN_PROFILE, source.sentence("names storage"
                    + " profile '" + source.profile() + "' but this worker has only " + profiles.names())));
        }
        Optional<NamespaceAllowList> restriction = profiles.restriction(source.profile());
        if (restriction.isPresent() && !restriction.get().allows(source.namespace())) {
            return Optional.of(new Refusal(DeadLetterReason.PROFILE_NOT_ALLOWED, source.sentence("names storage"
                    + " profile '" + source.profile() + "' but namespace " + source.namespace() + " matches none of"
                    + " its " + NamespaceAllowList.key(source.profile()) + " " + restriction.get().globs())));
        }
        int home = NamespacePartitioner.partitionFor(source.namespace(), segmentsPartitions);
        if (home != source.partition()) {
            return Optional.of(new Refusal(DeadLetterReason.INVALID_SEGMENT, source.sentence("arrived in partition "
                    + source.partition() + " but namespace " + source.namespace() + " belongs to partition " + home
                    + " of " + segmentsPartitions + ": segments must be keyed by namespace with the default"
                    + " partitioner")));
        }
        if (contiguity == Contiguity.GAP || contiguity == Contiguity.OVERLAP) {
            DeadLetterReason code = contiguity == Contiguity.GAP ? DeadLetterReason.GAP : DeadLetterReason.OVERLAP;
            return Optional.of(new Refusal(code, Contiguity.reason(source, durable)));
        }
        return Optional.empty();
    }
}
