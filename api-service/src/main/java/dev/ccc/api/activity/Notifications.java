package dev.ccc.api.activity;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.hibernate.reactive.mutiny.Mutiny;

/** Users' notification settings, stored so that every browser of theirs follows them. */
@ApplicationScoped
public class Notifications {
  private final Mutiny.SessionFactory sessions;
  private final Clock clock = Clock.systemUTC();

  Notifications(Mutiny.SessionFactory sessions) {
    this.sessions = sessions;
  }

  /** The user's settings; every notification when they chose none. */
  Uni<NotificationSettings> of(String userId) {
    return sessions.withSession(
        session ->
            session
                .find(NotificationSettings.class, userId)
                .map(found -> found == null ? NotificationSettings.defaults(userId) : found));
  }

  Uni<NotificationSettings> put(String userId, boolean inApp, boolean desktop) {
    return sessions.withTransaction(
        session ->
            session
                .find(NotificationSettings.class, userId)
                .chain(
                    found -> {
                      NotificationSettings settings =
                          found == null ? NotificationSettings.defaults(userId) : found;
                      settings.set(inApp, desktop, clock.instant());
                      return found == null
                          ? session.persist(settings).replaceWith(settings)
                          : Uni.createFrom().item(settings);
                    }));
  }
}
