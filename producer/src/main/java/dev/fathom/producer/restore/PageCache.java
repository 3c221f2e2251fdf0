package dev.fathom.producer.restore;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A bounded least-recently-used cache of what {@link SegmentReader} fetched: page bytes (weight 1) and page indexes
 * (weight = their size in pages, at least 1), so the bound is {@code page.cache.max.pages} pages' worth of memory
 * whatever mix is cached. Entries are immutable once fetched (object keys depend only on data), so they never go
 * stale. Thread-safe (every method is synchronized).
 */
final class PageCache {

    private final long maxWeight;
    private final LinkedHashMap<Object, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long weight;

    private record Entry(Object value, int weight) {
    }

    /** Creates a cache holding at most {@code maxWeight} weight units; 0 disables caching. */
    PageCache(long maxWeight) {
        this.maxWeight = maxWeight;
    }

    /** Returns the value cached under {@code key} and marks it most recently used. */
    synchronized <T> Optional<T> get(Object key, Class<T> type) {
        Entry entry = entries.get(key);
        return entry == null ? Optional.empty() : Optional.of(type.cast(entry.value()));
    }

    /** Caches {@code value}, evicting least recently used entries beyond the bound; a too heavy value is not kept. */
    synchronized void put(Object key, Object value, int valueWeight) {
        if (valueWeight > maxWeight) {
            return;
        }
        Entry old = entries.put(key, new Entry(value, valueWeight));
        weight += valueWeight - (old == null ? 0 : old.weight());
        Iterator<Map.Entry<Object, Entry>> eldest = entries.entrySet().iterator();
        while (weight > maxWeight && eldest.hasNext()) {
            weight -= eldest.next().getValue().weight();
            eldest.remove();
        }
    }

    /** Returns the total weight cached. */
    synchronized long weight() {
        return weight;
    }

    /** Returns the number of entries cached. */
    synchronized int size() {
        return entries.size();
    }
}
