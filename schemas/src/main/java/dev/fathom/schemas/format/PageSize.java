package dev.fathom.schemas.format;

/** The page-size rule shared by every format: a power of two in 512..65536 (SQLite's own limits). */
final class PageSize {

    static final int MIN = 512;
    static final int MAX = 65536;
    static final String RULE = "a power of two in " + MIN + ".." + MAX;

    private PageSize() {
    }

    static boolean isValid(long pageSize) {
        return pageSize >= MIN && pageSize <= MAX && Long.bitCount(pageSize) == 1;
    }
}
