package dev.ccc.api.activity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * How a user wants to hear that one of their agents waits for them; a user without a row gets every
 * notification.
 */
@Entity
@Table(name = "notification_settings")
public class NotificationSettings {
  @Id
  @Column(name = "user_id")
  private String userId;

  /** A notice inside the app. */
  @Column(name = "in_app")
  private boolean inApp;

  /** The browser's own notification, while the app's page is hidden. */
  @Column(name = "desktop")
  private boolean desktop;

  @Column(name = "updated_at")
  private Instant updatedAt;

  /** For Hibernate. */
  protected NotificationSettings() {}

  /** The settings of a user who chose none: every notification. */
  static NotificationSettings defaults(String userId) {
    NotificationSettings settings = new NotificationSettings();
    settings.userId = userId;
    settings.inApp = true;
    settings.desktop = true;
    return settings;
  }

  void set(boolean inApp, boolean desktop, Instant now) {
    this.inApp = inApp;
    this.desktop = desktop;
    this.updatedAt = now.truncatedTo(ChronoUnit.MILLIS);
  }

  public boolean isInApp() {
    return inApp;
  }

  public boolean isDesktop() {
    return desktop;
  }
}
