package dev.fathom.schemas;

/**
 * A validated namespace name: one database, and part of every object key and record key Fathom writes for it.
 * Immutable and thread-safe.
 *
 * <p>Valid names have 1 to 128 characters of {@code [A-Za-z0-9._-]} and are neither {@code "."} nor {@code ".."}.
 * The alphabet keeps a name safe as an S3 key segment, a file name and a Kafka record key, and keeps catalog keys
 * ({@code <namespace>/<end>}) sortable byte-wise because it excludes {@code '/'} and everything above {@code '~'}.
 *
 * @param value the name, already validated
 */
public record Namespace(String value) {
    /** Longest accepted name, in characters. */
    public static final int MAX_LENGTH = 128;

    private static final int SHOWN_CHARS = 64;

    /**
     * Validates {@code value}.
     *
     * @throws InvalidNamespaceException when the name breaks a rule
     */
    public Namespace {
        String rule = brokenRule(value);
        if (rule != null) {
            throw new InvalidNamespaceException("Invalid namespace " + quote(value) + ": " + rule);
        }
    }

    /**
     * Returns the namespace named {@code raw}.
     *
     * @throws InvalidNamespaceException naming the input and the rule it broke
     */
    public static Namespace of(String raw) {
        return new Namespace(raw);
    }

    /** Returns whether {@code raw} is a valid namespace name; never throws. */
    public static boolean isValid(String raw) {
        return brokenRule(raw) == null;
    }

    @Override
    public String toString() {
        return value;
    }

    /** Returns a sentence naming the first rule {@code raw} breaks, or null when it is valid. */
    private static String brokenRule(String raw) {
        if (raw == null) {
            return "a namespace is required but was null";
        }
        if (raw.isEmpty()) {
            return "must have 1 to " + MAX_LENGTH + " characters, got none";
        }
        if (raw.length() > MAX_LENGTH) {
            return "must have at most " + MAX_LENGTH + " characters, got " + raw.length();
        }
        if (raw.equals(".") || raw.equals("..")) {
            return "'.' and '..' are reserved because they are path segments in object keys and file paths";
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (!isAllowed(c)) {
                return String.format("character %s (U+%04X) at index %d is not allowed; use only A-Z a-z 0-9 . _ -",
                        quote(String.valueOf(c)), (int) c, i);
            }
        }
        return null;
    }

    private static boolean isAllowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '-';
    }

    /** Quotes raw input for a message: escapes anything outside printable ASCII and shortens very long input. */
    public static String quote(String raw) {
        if (raw == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("'");
        int shown = Math.min(raw.length(), SHOWN_CHARS);
        for (int i = 0; i < shown; i++) {
            char c = raw.charAt(i);
            if (c == '\'' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        if (shown < raw.length()) {
            out.append("...");
        }
        return out.append('\'').toString();
    }
}
