package dev.fathom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.DeadLetter;
import dev.fathom.schemas.DeadLetterReason;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayPlanTest {

    @Test
    void shouldReplayCurableLettersOncePerSegmentInFrameOrderAndSkipTheRest() {
        List<DeadLetterEntry> letters = List.of(
                entry(1, "orders", DeadLetterReason.BLOCKED_NAMESPACE, "s31", 31L, 40L, 100, 50),
                entry(2, "orders", DeadLetterReason.GAP, "s21", 21L, 30L, 90, 40),
                entry(3, "orders", DeadLetterReason.GAP, "s21", 21L, 30L, 95, 60), // the same segment, later
                entry(4, "orders", DeadLetterReason.CORRUPT, "s41", 41L, 50L, 96, 70),
                entry(5, "orders", DeadLetterReason.UNDECODABLE, null, null, null, 97, 80),
                entry(6, "other", DeadLetterReason.GAP, "x", 5L, 9L, 98, 90));

        ReplayPlan plan = ReplayPlan.of("orders", letters);

        assertEquals(List.of("s21", "s31"), plan.replay().stream().map(e -> e.letter().getSegmentId()).toList());
        assertEquals(60, plan.replay().get(0).letter().getFirstOffset(), "the newest letter of a segment wins");
        assertEquals(2, plan.skipped().size());
        assertTrue(plan.skipped().get(0).why().startsWith("CORRUPT would be refused again"),
                plan.skipped().get(0).why());
        assertTrue(plan.skipped().get(1).why().contains("names no segment"), plan.skipped().get(1).why());
    }

    @Test
    void shouldKeepAHostileNamespaceOnOneQuotedLine() {
        DeadLetterEntry entry = entry(7, "a\nb\u0000", DeadLetterReason.INVALID_NAMESPACE, "s", 1L, 4L, 1, 3);
        entry.letter().setReason("bad\nforged line");
        String line = entry.line();
        assertFalse(line.contains("\n") || line.contains("\u0000"), line);
        assertTrue(line.contains("\"a\\u000ab\\u0000\"  INVALID_NAMESPACE  segment s frames 1..4  from"
                + " fathom.segments partition 2 offsets 3..5  bad\\u000aforged line"), line);
    }

    private static DeadLetterEntry entry(long dlqOffset, String namespace, DeadLetterReason code, String segmentId,
                                         Long start, Long end, long failedAt, long firstOffset) {
        DeadLetter letter = DeadLetter.newBuilder().setNamespace(namespace).setReasonCode(code)
                .setReason(code + " of " + segmentId).setSegmentId(segmentId).setStartFrameNo(start)
                .setEndFrameNo(end).setSourceTopic("fathom.segments").setSourcePartition(2)
                .setFirstOffset(firstOffset).setLastOffset(firstOffset + 2).setWorkerId("w1").setFailedAtMs(failedAt)
                .build();
        return new DeadLetterEntry(0, dlqOffset, letter);
    }
}
