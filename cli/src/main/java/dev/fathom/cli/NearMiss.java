package dev.fathom.cli;

import java.util.Collection;
import java.util.Optional;

/**
 * Finds the known name closest to a mistyped one (Levenshtein distance), so a warning can say "did you mean".
 * Stateless; thread-safe.
 */
final class NearMiss {

    /** Names further apart than this are unrelated, not typos: FATHOM_DATA_DIR is not FATHOM_STATE_DIR. */
    static final int MAX_DISTANCE = 2;

    private NearMiss() {
    }

    /** Returns the name of {@code known} nearest to {@code typed}, when it is at most {@link #MAX_DISTANCE} away. */
    static Optional<String> nearest(String typed, Collection<String> known) {
        String best = null;
        int bestDistance = MAX_DISTANCE + 1;
        for (String candidate : known) {
            int d = distance(typed, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Levenshtein distance: insertions, deletions and substitutions of one character each cost 1. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
