package dev.fathom.schemas.format;

import java.util.regex.Pattern;

/**
 * Identity of a segment: its frame range and sealed_at, formatted as {@code <start:020>-<end:020>-<sealed_at_ms:013>}
 * so that ids (and the object keys built from them) sort by frame range. Immutable and thread-safe.
 *
 * @param startFrameNo first frame number (>= 1)
 * @param endFrameNo last frame number (>= startFrameNo)
 * @param sealedAtMs time of the segment's last commit, ms since the Unix epoch, 0..9999999999999 (13 digits)
 */
public record SegmentId(long startFrameNo, long endFrameNo, long sealedAtMs) {

    /** Largest sealed_at that still fits the 13 fixed-width digits (year 2286), which keeps keys sortable. */
    public static final long MAX_SEALED_AT_MS = 9_999_999_999_999L;

    private static final Pattern SHAPE = Pattern.compile("[0-9]{20}-[0-9]{20}-[0-9]{13}");

    public SegmentId {
        if (startFrameNo < 1) {
            throw new IllegalArgumentException("Invalid segment id: start frame_no " + startFrameNo + " must be >= 1");
        }
        if (endFrameNo < startFrameNo) {
            throw new IllegalArgumentException("Invalid segment id: end frame_no " + endFrameNo
                    + " is before start frame_no " + startFrameNo);
        }
        if (sealedAtMs < 0 || sealedAtMs > MAX_SEALED_AT_MS) {
            throw new IllegalArgumentException("Invalid segment id: sealed_at_ms " + sealedAtMs
                    + " is outside 0.." + MAX_SEALED_AT_MS);
        }
    }

    /** Returns {@code <start:020>-<end:020>-<sealed_at_ms:013>}, the stem of the segment's object keys. */
    public String format() {
        return String.format("%020d-%020d-%013d", startFrameNo, endFrameNo, sealedAtMs);
    }

    /**
     * Parses the output of {@link #format()} exactly (no signs, spaces or other widths).
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static SegmentId parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("Invalid segment id: null");
        }
        if (!SHAPE.matcher(text).matches()) {
            throw new IllegalArgumentException("Invalid segment id '" + abbreviate(text)
                    + "': expected <start:20 digits>-<end:20 digits>-<sealed_at_ms:13 digits>");
        }
        try {
            return new SegmentId(Long.parseLong(text.substring(0, 20)), Long.parseLong(text.substring(21, 41)),
                    Long.parseLong(text.substring(42)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid segment id '" + text + "': frame number exceeds "
                    + Long.MAX_VALUE, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid segment id '" + text + "': " + e.getMessage(), e);
        }
    }

    /** Returns {@link #format()}, so logs show the same id as object keys. */
    @Override
    public String toString() {
        return format();
    }

    private static String abbreviate(String text) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        StringBuilder escaped = new StringBuilder();
        shown.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                escaped.append(String.format("\\u%04x", c));
            } else {
                escaped.appendCodePoint(c);
            }
        });
        return escaped.toString();
    }
}
