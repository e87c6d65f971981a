package dev.ccc.api.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * bcrypt, cost 12. Verifying against {@link #DECOY} costs as much as against a real hash.
 *
 * <p>A bcrypt takes about a quarter of a second of CPU, so the {@code Uni} methods run it on a
 * worker thread and deliver the result back on the caller's Vert.x context: the event loop stays
 * free, and the caller can go on with Hibernate Reactive, which works only on its event loop.
 */
@ApplicationScoped
public class PasswordHasher {
  private static final int COST = 12;

  /** A hash of nothing anyone can type; checked for unknown users so failures take equal time. */
  private static final String DECOY =
      BCrypt.withDefaults().hashToString(COST, "\0decoy".toCharArray());

  public String hash(String password) {
    return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
  }

  /** True if {@code password} matches {@code hash}; a null hash is checked against the decoy. */
  public boolean verify(String password, String hash) {
    boolean matches =
        BCrypt.verifyer()
            .verify(
                password.getBytes(StandardCharsets.UTF_8),
                (hash == null ? DECOY : hash).getBytes(StandardCharsets.US_ASCII))
            .verified;
    return hash != null && matches;
  }

  /** {@link #hash}, off the event loop. */
  public Uni<String> hashOffLoop(String password) {
    return offLoop(() -> hash(password));
  }

  /** {@link #verify}, off the event loop. */
  public Uni<Boolean> verifyOffLoop(String password, String hash) {
    return offLoop(() -> verify(password, hash));
  }

  private static <T> Uni<T> offLoop(Callable<T> work) {
    return Uni.createFrom()
        .deferred(
            () -> {
              Context context = Vertx.currentContext();
              if (context == null) {
                return Uni.createFrom().item(() -> call(work));
              }
              return Uni.createFrom()
                  .completionStage(context.executeBlocking(work, false).toCompletionStage());
            });
  }

  private static <T> T call(Callable<T> work) {
    try {
      return work.call();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
