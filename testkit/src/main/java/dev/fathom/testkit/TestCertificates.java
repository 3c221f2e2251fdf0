package dev.fathom.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away TLS identity for a test broker, made with the JDK's own {@code keytool}: a self-signed RSA key pair for
 * {@code localhost} (SAN dns:localhost, ip:127.0.0.1, so host name verification stays on) in a PKCS12 key store, and
 * a PKCS12 trust store holding its certificate for the clients. Valid for two days. Immutable; thread-safe.
 *
 * @param keyStore   the broker's key store
 * @param trustStore the clients' trust store
 * @param password   password of both stores and of the key
 */
public record TestCertificates(Path keyStore, Path trustStore, String password) {

    /** Both stores are PKCS12. */
    public static final String STORE_TYPE = "PKCS12";

    /** Creates the stores in {@code dir}. */
    static TestCertificates create(Path dir) {
        String password = "test-store-" + Long.toHexString(System.nanoTime());
        Path keyStore = dir.resolve("broker.p12");
        Path cert = dir.resolve("broker.pem");
        Path trustStore = dir.resolve("truststore.p12");
        keytool(dir, "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", keyStore.toString(),
                "-storetype", STORE_TYPE, "-storepass", password, "-keypass", password);
        keytool(dir, "-exportcert", "-rfc", "-alias", "broker", "-keystore", keyStore.toString(), "-storetype",
                STORE_TYPE, "-storepass", password, "-file", cert.toString());
        keytool(dir, "-importcert", "-noprompt", "-alias", "broker", "-file", cert.toString(), "-keystore",
                trustStore.toString(), "-storetype", STORE_TYPE, "-storepass", password);
        return new TestCertificates(keyStore, trustStore, password);
    }

    private static void keytool(Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Path log = dir.resolve("keytool.log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("keytool " + args[0] + " did not finish within 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed with exit code " + p.exitValue() + ": "
                        + Files.readString(log, StandardCharsets.UTF_8).trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run keytool " + args[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running keytool " + args[0], e);
        }
    }
}
