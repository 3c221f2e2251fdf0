/**
 * The {@code fathom} executable: picocli commands ({@code dev}, {@code worker}) over the worker, producer and devstack
 * modules, and the embedded dev stack. Commands never call {@code System.exit}: they return an exit code (0 ok, 1
 * runtime failure, 2 bad usage or configuration) that only {@link dev.fathom.cli.FathomCli#main} turns into the
 * process status, so every command runs inside tests.
 */
package dev.fathom.cli;
