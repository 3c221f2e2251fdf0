package dev.fathom.cli;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A stop action that runs at most once: from the JVM shutdown hook (Ctrl-C, SIGTERM) or directly, when a command ends
 * on its own (e.g. after a fatal worker error). Thread-safe.
 */
final class ShutdownHook implements Runnable {

    private final Runnable action;
    private final AtomicBoolean ran = new AtomicBoolean();

    private ShutdownHook(Runnable action) {
        this.action = action;
    }

    /** Registers {@code action} as a JVM shutdown hook named {@code name} and returns it for a direct call. */
    static ShutdownHook register(String name, Runnable action) {
        ShutdownHook hook = new ShutdownHook(action);
        Runtime.getRuntime().addShutdownHook(new Thread(hook, name));
        return hook;
    }

    /** Runs the action unless it already ran (or is running). */
    @Override
    public void run() {
        if (ran.compareAndSet(false, true)) {
            action.run();
        }
    }
}
