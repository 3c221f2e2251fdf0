package dev.fathom.worker;

import dev.fathom.schemas.DeadLetterReason;

/**
 * Why the worker refuses a segment (or a record): the dead letter's reason code and a sentence naming the namespace,
 * the segment, the partition, the offsets and the numbers involved. Immutable and thread-safe.
 *
 * @param code machine-readable class of the failure
 * @param reason the sentence
 */
record Refusal(DeadLetterReason code, String reason) {
}
