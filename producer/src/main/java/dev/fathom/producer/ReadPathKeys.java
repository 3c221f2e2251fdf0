package dev.fathom.producer;

import dev.fathom.producer.storage.StorageProfile;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Definitions of the read path's keys of {@link FathomStorageConfig}: storage profiles (the worker's keys, optional
 * here because only reads need them), the meta API URLs and timeout, restore parallelism and the page cache size.
 * Kept apart so the config class stays readable. Stateless and thread-safe.
 */
final class ReadPathKeys {

    static final String META_URLS_DOC = "Base URLs of worker HTTP APIs (e.g. http://worker-1:8080), comma separated;"
            + " the read path asks them in order for a namespace's segments. Empty: read the catalog from a bucket"
            + " listing only. When none answers (connect failure, timeout, HTTP 5xx) the read path lists the bucket.";
    static final String META_REQUEST_TIMEOUT_MS_DOC = "Connect and request timeout of one meta API call, in"
            + " milliseconds; past it the next URL, then the bucket listing, is used.";
    static final long META_REQUEST_TIMEOUT_MS_DEFAULT = 5_000L;
    static final String RESTORE_PARALLELISM_DOC = "Most segment objects one restore fetches concurrently;"
            + " while it still plans, it also fetches up to this many page indexes ahead.";
    static final int RESTORE_PARALLELISM_DEFAULT = 4;
    static final String PAGE_CACHE_MAX_PAGES_DOC = "Size of the read path's LRU cache per storage profile, in pages:"
            + " readPage keeps page indexes (weighing their size in pages) and pages up to this. 0 disables it.";
    static final int PAGE_CACHE_MAX_PAGES_DEFAULT = 256;
    static final String STORAGE_PROFILES_DOC = "Names of the storage profiles the read path (restore, readPage,"
            + " listSegments...) can read, comma separated; each name needs storage.profile.<name>.bucket and"
            + " optionally prefix, endpoint, region, path.style, access.key, secret.key, as in the worker's"
            + " configuration. Empty: no reads; store() needs no profile configured here.";

    private ReadPathKeys() {
    }

    /** Adds the static read-path keys to {@code def}. */
    static ConfigDef define(ConfigDef def) {
        return def
                .define(FathomStorageConfig.META_URLS_CONFIG, Type.LIST, "", new UrlListValidator(),
                        Importance.MEDIUM, META_URLS_DOC)
                .define(FathomStorageConfig.META_REQUEST_TIMEOUT_MS_CONFIG, Type.LONG,
                        META_REQUEST_TIMEOUT_MS_DEFAULT, Range.atLeast(1), Importance.LOW,
                        META_REQUEST_TIMEOUT_MS_DOC)
                .define(FathomStorageConfig.RESTORE_PARALLELISM_CONFIG, Type.INT, RESTORE_PARALLELISM_DEFAULT,
                        Range.between(1, 64), Importance.LOW, RESTORE_PARALLELISM_DOC)
                .define(FathomStorageConfig.PAGE_CACHE_MAX_PAGES_CONFIG, Type.INT, PAGE_CACHE_MAX_PAGES_DEFAULT,
                        Range.atLeast(0), Importance.LOW, PAGE_CACHE_MAX_PAGES_DOC)
                .define(StorageProfile.PROFILES_CONFIG, Type.LIST, "", Importance.MEDIUM, STORAGE_PROFILES_DOC);
    }

    /** Returns {@code def} plus the keys of every profile {@code props} declares in {@code storage.profiles}. */
    static ConfigDef withProfiles(ConfigDef def, Map<?, ?> props) {
        ConfigDef all = new ConfigDef(def);
        StorageProfile.declaredNames(props.get(StorageProfile.PROFILES_CONFIG), List.of())
                .forEach(name -> StorageProfile.define(all, name));
        return all;
    }

    /** Returns {@code def} plus the per-profile keys under the placeholder name {@code <name>}, for the docs. */
    static ConfigDef documented(ConfigDef def) {
        StorageProfile.define(def, "<name>");
        return def;
    }

    /** Parses the meta URLs; the validator already refused bad ones. */
    static List<URI> urls(List<String> values) {
        return values.stream().map(String::trim).map(URI::create).toList();
    }

    /** Accepts absolute http(s) URLs with a host; a named type so the generated docs can describe it. */
    private record UrlListValidator() implements ConfigDef.Validator {
        @Override
        public void ensureValid(String key, Object value) {
            @SuppressWarnings("unchecked")
            List<String> urls = (List<String>) value;
            for (String url : urls) {
                try {
                    URI uri = URI.create(url.trim());
                    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                        throw new IllegalArgumentException("not http(s)://host[:port]");
                    }
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(key, url, "not an absolute URL like http://worker-1:8080 ("
                            + e.getMessage() + ")");
                }
            }
        }

        @Override
        public String toString() {
            return "http(s)://host[:port] URLs";
        }
    }
}
