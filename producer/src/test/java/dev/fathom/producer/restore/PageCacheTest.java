package dev.fathom.producer.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PageCacheTest {

    @Test
    void shouldEvictTheLeastRecentlyUsedEntriesBeyondTheWeightBound() {
        PageCache cache = new PageCache(4);
        cache.put("a", "A", 1);
        cache.put("b", "B", 1);
        cache.put("index", "I", 2);
        assertEquals(Optional.of("A"), cache.get("a", String.class)); // a is now the most recently used

        cache.put("c", "C", 1); // weight 5 > 4: b, the least recently used, goes

        assertEquals(Optional.empty(), cache.get("b", String.class));
        assertEquals(Optional.of("A"), cache.get("a", String.class));
        assertEquals(Optional.of("I"), cache.get("index", String.class));
        assertEquals(4, cache.weight());
        assertEquals(3, cache.size());
    }

    @Test
    void shouldNotKeepAnEntryHeavierThanTheWholeCacheNorAnythingWhenDisabled() {
        PageCache cache = new PageCache(2);
        cache.put("a", "A", 1);
        cache.put("huge", "H", 3);
        assertEquals(Optional.empty(), cache.get("huge", String.class));
        assertEquals(Optional.of("A"), cache.get("a", String.class), "a too heavy entry evicts nothing");

        PageCache disabled = new PageCache(0);
        disabled.put("a", "A", 1);
        assertTrue(disabled.get("a", String.class).isEmpty());
    }

    @Test
    void shouldCountAReplacedEntryOnce() {
        PageCache cache = new PageCache(3);
        cache.put("a", "A1", 2);
        cache.put("a", "A2", 1);
        assertEquals(1, cache.weight());
        assertEquals(Optional.of("A2"), cache.get("a", String.class));
    }
}
