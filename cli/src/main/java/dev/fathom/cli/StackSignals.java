package dev.fathom.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns Ctrl-C (SIGINT) and SIGTERM into a stop request instead of the JVM's immediate shutdown, so {@code fathom
 * stack} can stop its children in order while they can still reach Kafka (JVM shutdown hooks all run at once, and the
 * Kafka nodes' hooks would kill the brokers under the stopping workers). A second signal exits at once; shutdown hooks
 * then SIGKILL every child. Uses {@code sun.misc.Signal} (module jdk.unsupported), as Kafka's own signal logging does;
 * where a signal cannot be handled the JVM default stays. Thread-safe; {@link #close()} restores the previous handlers.
 */
final class StackSignals implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StackSignals.class);
    private static final int SIGNAL_EXIT_BASE = 128;

    private final CountDownLatch requested = new CountDownLatch(1);
    private final AtomicInteger signal = new AtomicInteger();
    private final List<Signal> installed = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();
    private Thread interruptible;

    private StackSignals() {
    }

    /** Installs the handlers for INT and TERM. */
    static StackSignals install() {
        StackSignals signals = new StackSignals();
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal s = new Signal(name);
                signals.previous.add(Signal.handle(s, signals::onSignal));
                signals.installed.add(s);
            } catch (IllegalArgumentException e) {
                log.warn("Cannot handle SIG{} here ({}); it stops the stack through shutdown hooks only", name,
                        e.getMessage());
            }
        }
        return signals;
    }

    private void onSignal(Signal s) {
        if (signal.compareAndSet(0, s.getNumber())) {
            requested.countDown();
            synchronized (this) {
                if (interruptible != null) {
                    interruptible.interrupt();
                }
            }
        } else {
            // A second Ctrl-C: the user does not want to wait. Exit from another thread; hooks kill the children.
            new Thread(() -> System.exit(SIGNAL_EXIT_BASE + s.getNumber()), "stack-forced-exit").start();
        }
    }

    /**
     * While {@code thread} is not null, the first signal also interrupts it (to cut a startup short); pass null to
     * stop that, after which no interrupt from this class can arrive.
     */
    synchronized void interruptOnSignal(Thread thread) {
        this.interruptible = thread;
    }

    /** True once a stop was requested. */
    boolean stopRequested() {
        return requested.getCount() == 0;
    }

    /** Waits up to {@code millis} for a stop request; true once one arrived. */
    boolean awaitStop(long millis) throws InterruptedException {
        return requested.await(millis, TimeUnit.MILLISECONDS);
    }

    /** The exit code a shell expects after the signal received (130 for INT, 143 for TERM), or 0 when none came. */
    int exitCode() {
        int n = signal.get();
        return n == 0 ? 0 : SIGNAL_EXIT_BASE + n;
    }

    @Override
    public void close() {
        for (int i = 0; i < installed.size(); i++) {
            Signal.handle(installed.get(i), previous.get(i));
        }
    }
}
