package dev.ccc.pty.jobs;

/**
 * How a job ended.
 *
 * @param exitCode its exit code
 * @param errors the end of what it wrote to its standard error, to explain a failure
 */
public record Outcome(int exitCode, String errors) {}
