package dev.fathom.testkit;

/** Forked by {@link ForkedJvmIT}: prints its arguments, then exits with the first one or waits to be killed. */
public final class ExitingMain {

    private ExitingMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("started with " + String.join(",", args) + " prop=" + System.getProperty("fixture.prop"));
        System.out.flush();
        if (args[0].equals("wait")) {
            new java.util.concurrent.CountDownLatch(1).await(); // blocks until the test kills this JVM
        }
        System.exit(Integer.parseInt(args[0]));
    }
}
