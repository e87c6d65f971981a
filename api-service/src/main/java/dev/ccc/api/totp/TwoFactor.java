package dev.ccc.api.totp;

import dev.ccc.api.account.User;
import dev.ccc.api.audit.AuditAction;
import dev.ccc.api.audit.AuditLog;
import dev.ccc.api.auth.Caller;
import dev.ccc.api.auth.PasswordHasher;
import dev.ccc.api.auth.SecretBox;
import dev.ccc.api.web.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Two-factor login with an authenticator app. Enrolling stores a new secret (encrypted) without
 * turning it on; confirming with a code from the app turns it on and hands out backup codes, once.
 * An accepted code cannot be used again: the newest accepted time step is remembered.
 */
@ApplicationScoped
public class TwoFactor {
  static final int BACKUP_CODES = 10;
  private static final String BACKUP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
  private static final int BACKUP_LENGTH = 10;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A started enrolment: the secret to put into the app, as text and as an otpauth URI. */
  public record Enrolment(String secret, String otpauthUri) {}

  private final Mutiny.SessionFactory sessions;
  private final SecretBox box;
  private final PasswordHasher hasher;
  private final AuditLog audit;
  private final Clock clock = Clock.systemUTC();

  TwoFactor(Mutiny.SessionFactory sessions, SecretBox box, PasswordHasher hasher, AuditLog audit) {
    this.sessions = sessions;
    this.box = box;
    this.hasher = hasher;
    this.audit = audit;
  }

  /** Starts (or restarts) enrolment for the caller; 409 while two-factor login is on. */
  Uni<Enrolment> enroll(Caller caller) {
    String secret = TotpCodes.newSecret();
    return sessions.withTransaction(
        session ->
            session
                .find(User.class, caller.userId())
                .map(
                    user -> {
                      if (user.isTotpEnabled()) {
                        throw ApiException.conflict(
                            "Two-factor login is already on; disable it first.");
                      }
                      user.setTotpSecret(box.seal(secret));
                      return new Enrolment(
                          secret, TotpCodes.otpauthUri(user.getUsername(), secret));
                    }));
  }

  /** Turns two-factor login on if {@code code} matches the enrolled secret; the backup codes. */
  Uni<List<String>> confirm(Caller caller, String code) {
    List<String> codes = newBackupCodes();
    return sessions
        .withTransaction(
            session ->
                session
                    .find(User.class, caller.userId())
                    .chain(
                        user -> {
                          if (user.isTotpEnabled() || user.getTotpSecret() == null) {
                            throw ApiException.conflict(
                                "There is no enrolment to confirm; start one first.");
                          }
                          OptionalLong step =
                              TotpCodes.matchingStep(
                                  box.open(user.getTotpSecret()), code.trim(), clock.instant());
                          if (step.isEmpty()) {
                            throw ApiException.badRequest(
                                "That code does not match; check the app's clock and try again.");
                          }
                          user.setTotpEnabled(true);
                          return replaceBackupCodes(session, user.getId(), codes)
                              .chain(() -> acceptStep(session, user.getId(), step.getAsLong()));
                        }))
        .call(() -> audit.record(caller, AuditAction.TOTP_ENABLED, caller.userId(), null))
        .replaceWith(codes);
  }

  /** Turns two-factor login off, given the password and a current code (or backup code). */
  Uni<Void> disable(Caller caller, String password, String code) {
    return sessions
        .withSession(session -> session.find(User.class, caller.userId()))
        .call(
            user ->
                hasher
                    .verifyOffLoop(password, user.getPasswordHash())
                    .invoke(
                        matches -> {
                          if (!matches) {
                            throw ApiException.forbidden("The password is wrong.");
                          }
                          if (!user.isTotpEnabled()) {
                            throw ApiException.conflict("Two-factor login is not on.");
                          }
                        }))
        .chain(user -> verify(user, code))
        .chain(
            accepted -> {
              if (!accepted) {
                throw ApiException.forbidden("The code is wrong or already used.");
              }
              return sessions.withTransaction(
                  session ->
                      session
                          .find(User.class, caller.userId())
                          .invoke(
                              user -> {
                                user.setTotpEnabled(false);
                                user.setTotpSecret(null);
                              })
                          .chain(() -> replaceBackupCodes(session, caller.userId(), List.of())));
            })
        .call(() -> audit.record(caller, AuditAction.TOTP_DISABLED, caller.userId(), null))
        .replaceWithVoid();
  }

  /**
   * Whether {@code code} is a current code of {@code user}'s app, or one of their unused backup
   * codes; either is used up by this call.
   */
  public Uni<Boolean> verify(User user, String code) {
    String trimmed = code.trim();
    if (TotpCodes.looksLikeCode(trimmed)) {
      OptionalLong step =
          TotpCodes.matchingStep(box.open(user.getTotpSecret()), trimmed, clock.instant());
      if (step.isEmpty()) {
        return Uni.createFrom().item(false);
      }
      return sessions
          .withTransaction(session -> acceptStep(session, user.getId(), step.getAsLong()))
          .map(updated -> updated == 1);
    }
    String normalized = trimmed.replace("-", "").replace(" ", "").toLowerCase(Locale.ROOT);
    return sessions
        .withTransaction(
            session ->
                session
                    .createMutationQuery(
                        "update BackupCode set usedAt = :now where userId = :user"
                            + " and codeHash = :hash and usedAt is null")
                    .setParameter("now", clock.instant())
                    .setParameter("user", user.getId())
                    .setParameter("hash", box.mac(normalized))
                    .executeUpdate())
        .map(updated -> updated == 1);
  }

  /** Records {@code step} as used, unless it or a later one already was: 1 if accepted. */
  private static Uni<Integer> acceptStep(Mutiny.Session session, String userId, long step) {
    return session
        .createMutationQuery(
            "update User set totpLastStep = :step where id = :id"
                + " and (totpLastStep is null or totpLastStep < :step)")
        .setParameter("step", step)
        .setParameter("id", userId)
        .executeUpdate();
  }

  private Uni<Void> replaceBackupCodes(Mutiny.Session session, String userId, List<String> codes) {
    return session
        .createMutationQuery("delete from BackupCode where userId = :user")
        .setParameter("user", userId)
        .executeUpdate()
        .chain(
            () ->
                session.persistAll(
                    codes.stream()
                        .map(code -> BackupCode.of(userId, box.mac(code.replace("-", ""))))
                        .toArray()));
  }

  private static List<String> newBackupCodes() {
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < BACKUP_CODES; i++) {
      StringBuilder code = new StringBuilder();
      for (int c = 0; c < BACKUP_LENGTH; c++) {
        if (c == BACKUP_LENGTH / 2) {
          code.append('-');
        }
        code.append(BACKUP_ALPHABET.charAt(RANDOM.nextInt(BACKUP_ALPHABET.length())));
      }
      codes.add(code.toString());
    }
    return codes;
  }
}
