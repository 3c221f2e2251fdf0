package dev.fathom.worker.meta;

/**
 * The {@code from} and {@code to} frame numbers of a segments query (defaults 1 and {@link Long#MAX_VALUE}).
 *
 * @param fromFrameNo first frame of interest, inclusive
 * @param toFrameNo   last frame of interest, inclusive
 */
record FrameRangeQuery(long fromFrameNo, long toFrameNo) {

    /** Parses a raw query string (may be null); a bad number names its parameter in the exception message. */
    static FrameRangeQuery parse(String rawQuery) {
        long from = 1;
        long to = Long.MAX_VALUE;
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String name = MetaHttpHandler.decode(eq < 0 ? pair : pair.substring(0, eq), "query parameter");
                String value = eq < 0 ? "" : MetaHttpHandler.decode(pair.substring(eq + 1), name);
                if (name.equals("from")) {
                    from = frameNo(name, value);
                } else if (name.equals("to")) {
                    to = frameNo(name, value);
                }
            }
        }
        if (from > to) {
            throw new MetaHttpHandler.BadRequestException(
                    "Query parameter 'from' (" + from + ") must not exceed 'to' (" + to + ")");
        }
        return new FrameRangeQuery(from, to);
    }

    private static long frameNo(String name, String value) {
        try {
            long frameNo = Long.parseLong(value);
            if (frameNo >= 0) {
                return frameNo;
            }
        } catch (NumberFormatException e) {
            // Reported below with the parameter's name.
        }
        throw new MetaHttpHandler.BadRequestException("Query parameter '" + name
                + "' must be a frame number (an integer from 0 to " + Long.MAX_VALUE + "), got '" + value + "'");
    }
}
