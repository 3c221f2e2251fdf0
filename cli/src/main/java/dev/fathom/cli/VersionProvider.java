package dev.fathom.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * Answers {@code fathom --version} from the build-time {@code version.properties} (filtered by Maven), with the Java
 * version that matters when reporting a problem. Stateless; thread-safe.
 */
final class VersionProvider implements IVersionProvider {

    private static final String RESOURCE = "version.properties";

    @Override
    public String[] getVersion() {
        return new String[] {
            "fathom " + fathomVersion(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
        };
    }

    static String fathomVersion() {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown (no " + RESOURCE + " on the classpath)";
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + RESOURCE + " of the fathom CLI", e);
        }
        return p.getProperty("version", "unknown");
    }
}
