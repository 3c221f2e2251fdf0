package dev.fathom.cli;

import dev.fathom.schemas.DeadLetter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which dead letters of one namespace {@code fathom dlq replay} sends through the workers again: one letter per
 * refused segment (the newest, whose source records are the least likely to be gone), for the reasons a replay can
 * cure, in frame order. Letters for content that would only be refused again (corrupt, invalid, undecodable, an
 * overlap) are listed as skipped with what to do instead. Immutable; thread-safe.
 *
 * @param replay letters to replay, by start frame
 * @param skipped letters not replayed, with why
 */
record ReplayPlan(List<DeadLetterEntry> replay, List<Skipped> skipped) {

    /**
     * Reason codes a replay can cure: the segment was fine but came too early (GAP, BLOCKED_NAMESPACE) or the worker
     * lacked a profile (UNKNOWN_PROFILE, PROFILE_NOT_ALLOWED) that the operator has since configured. By name, so
     * codes a newer schema adds do not break this list.
     */
    static final Set<String> REPLAYABLE = Set.of("GAP", "BLOCKED_NAMESPACE", "UNKNOWN_PROFILE",
            "PROFILE_NOT_ALLOWED");

    ReplayPlan {
        replay = List.copyOf(replay);
        skipped = List.copyOf(skipped);
    }

    /** Plans the replay of {@code namespace} from every letter of the dead-letter topic. */
    static ReplayPlan of(String namespace, List<DeadLetterEntry> letters) {
        Map<String, DeadLetterEntry> newestPerSegment = new LinkedHashMap<>();
        List<Skipped> skipped = new ArrayList<>();
        for (DeadLetterEntry entry : letters) {
            DeadLetter letter = entry.letter();
            if (!namespace.equals(letter.getNamespace())) {
                continue;
            }
            String code = letter.getReasonCode().name();
            if (!entry.namesSegment()) {
                skipped.add(new Skipped(entry, "the letter names no segment (the record was undecodable)"));
            } else if (!REPLAYABLE.contains(code)) {
                skipped.add(new Skipped(entry, code + " would be refused again: publish the segment again from"
                        + " the node that sealed it (its outbox) after fixing the cause"));
            } else {
                newestPerSegment.merge(letter.getSegmentId(), entry, (old, now) -> now.letter().getFailedAtMs()
                        >= old.letter().getFailedAtMs() ? now : old);
            }
        }
        List<DeadLetterEntry> replay = new ArrayList<>(newestPerSegment.values());
        replay.sort(Comparator.comparingLong((DeadLetterEntry e) -> e.letter().getStartFrameNo())
                .thenComparing(e -> e.letter().getSegmentId()));
        return new ReplayPlan(replay, skipped);
    }

    /**
     * A letter left out of the replay.
     *
     * @param entry the letter
     * @param why a sentence saying why and what to do instead
     */
    record Skipped(DeadLetterEntry entry, String why) {
    }
}
