package dev.ccc.api.activity;

import dev.ccc.api.audit.AuditAction;
import dev.ccc.api.audit.AuditLog;
import dev.ccc.api.auth.Caller;
import dev.ccc.bus.BusContract.TerminalStatus;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Locale;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * What the caller's agents are doing, as a stream of Server-Sent Events, and how the caller wants
 * to be told that one waits for them.
 */
@Path("/api/me")
@Authenticated
public class ActivityResource {

  /** A terminal's status as the stream carries it (docs/api.md, "Activity"). */
  public record ActivityView(
      String sessionId,
      String terminalId,
      String profile,
      String activity,
      Integer exitCode,
      boolean change) {
    static ActivityView of(TerminalActivities.Update update) {
      TerminalStatus status = update.status();
      return new ActivityView(
          status.session(),
          status.terminal(),
          status.profile(),
          status.activity().name().toLowerCase(Locale.ROOT),
          status.exitCode(),
          update.change());
    }
  }

  /** The caller's notification settings. */
  public record NotificationView(@NotNull Boolean inApp, @NotNull Boolean desktop) {
    static NotificationView of(NotificationSettings settings) {
      return new NotificationView(settings.isInApp(), settings.isDesktop());
    }
  }

  private final TerminalActivities activities;
  private final Notifications notifications;
  private final AuditLog audit;
  private final Caller caller;

  ActivityResource(
      TerminalActivities activities, Notifications notifications, AuditLog audit, Caller caller) {
    this.activities = activities;
    this.notifications = notifications;
    this.audit = audit;
    this.caller = caller;
  }

  /**
   * The caller's own terminals, whoever the caller is: first where each stands, then every change,
   * until the caller's credential is revoked.
   */
  @GET
  @Path("/activity")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @RestStreamElementType(MediaType.APPLICATION_JSON)
  public Multi<ActivityView> activity() {
    return activities.of(caller.userId(), caller.credentialId()).map(ActivityView::of);
  }

  @GET
  @Path("/notifications")
  public Uni<NotificationView> notifications() {
    return notifications.of(caller.userId()).map(NotificationView::of);
  }

  @PUT
  @Path("/notifications")
  public Uni<NotificationView> setNotifications(@Valid @NotNull NotificationView changes) {
    return notifications
        .put(caller.userId(), changes.inApp(), changes.desktop())
        .call(
            () ->
                audit.record(
                    caller,
                    AuditAction.NOTIFICATIONS_CHANGED,
                    caller.userId(),
                    "in app " + changes.inApp() + ", desktop " + changes.desktop()))
        .map(NotificationView::of);
  }
}
