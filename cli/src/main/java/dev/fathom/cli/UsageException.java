package dev.fathom.cli;

/**
 * Bad input from the user that picocli cannot see while parsing: an unreadable or invalid configuration file, an
 * option value that fails a semantic check. Reported as a one-line message and exit code {@link FathomCli#EXIT_USAGE}.
 */
final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }

    UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
