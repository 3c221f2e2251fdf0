package dev.fathom.producer;

import java.util.Locale;

/** What {@link FathomStorage#store} does when the segment queue is full ({@code queue.full.behavior}). */
public enum QueueFullBehavior {
    /** Wait for space up to {@code queue.block.timeout.ms}, then throw {@link QueueFullException}. */
    BLOCK,
    /** Throw {@link QueueFullException} at once. */
    FAIL;

    /** Returns the config value naming this behaviour ({@code block} or {@code fail}). */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static QueueFullBehavior fromConfigValue(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
