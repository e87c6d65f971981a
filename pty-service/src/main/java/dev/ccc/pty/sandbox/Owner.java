package dev.ccc.pty.sandbox;

/**
 * The user a session or a job runs for, as the api-service vouched for them on the bus.
 *
 * @param id the user's id, a plain directory name
 * @param admin whether the user is an administrator: where the machine cannot sandbox, only their
 *     terminals and clones run
 */
public record Owner(String id, boolean admin) {}
