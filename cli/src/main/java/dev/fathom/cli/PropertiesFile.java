package dev.fathom.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the Java properties config file of a command ({@code --config}), turning a missing or unreadable file into a
 * usage error that names it. Stateless and thread-safe.
 */
final class PropertiesFile {

    private PropertiesFile() {
    }

    /** Returns the keys and values of {@code file}. */
    static Map<String, String> read(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            throw new UsageException("Config file " + file.toAbsolutePath() + " does not exist", e);
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException: a malformed \\uXXXX escape in the file
            throw new UsageException("Could not read config file " + file.toAbsolutePath() + ": " + e, e);
        }
        Map<String, String> props = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(key -> props.put(key, p.getProperty(key)));
        return props;
    }
}
