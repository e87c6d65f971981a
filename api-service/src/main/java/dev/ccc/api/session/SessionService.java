package dev.ccc.api.session;

import dev.ccc.api.account.User;
import dev.ccc.api.account.UserRepository;
import dev.ccc.api.arguments.ProfileArgumentsService;
import dev.ccc.api.audit.AuditAction;
import dev.ccc.api.audit.AuditLog;
import dev.ccc.api.auth.Caller;
import dev.ccc.api.bus.PtyClient;
import dev.ccc.api.credential.Credentials;
import dev.ccc.api.session.Session.State;
import dev.ccc.api.session.SessionRepository.OwnerInactive;
import dev.ccc.api.session.SessionRepository.QuotaReached;
import dev.ccc.api.web.ApiException;
import dev.ccc.api.workspace.Workspace;
import dev.ccc.api.workspace.WorkspaceRepository;
import dev.ccc.bus.BusContract.DropTab;
import dev.ccc.bus.BusContract.OpenTab;
import dev.ccc.bus.BusContract.ProfileInfo;
import dev.ccc.bus.BusContract.PtyStarted;
import dev.ccc.bus.BusContract.RelaunchTab;
import dev.ccc.bus.BusContract.RenameTab;
import dev.ccc.bus.BusContract.SessionControl;
import dev.ccc.bus.BusContract.SessionEnded;
import dev.ccc.bus.BusContract.SessionStatus;
import dev.ccc.bus.BusContract.SessionTerminals;
import dev.ccc.bus.BusContract.StartSession;
import dev.ccc.bus.BusContract.StopSession;
import dev.ccc.bus.BusContract.TabInfo;
import dev.ccc.bus.BusContract.TerminalOpened;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Sessions: the rows here, the processes on a pty-service.
 *
 * <p>The pty-service is the truth about what runs. The row follows it through claims and
 * settlements (see {@link SessionRepository}), and wherever the two may have drifted apart (a reply
 * that never came, a process that ended on its own, a pty-service or api-service that restarted) it
 * is corrected by asking the pty-service: {@link #reconcile}.
 */
@ApplicationScoped
public class SessionService {
  private static final Logger LOG = Logger.getLogger(SessionService.class.getName());

  /** How often a deactivation looks again at a session that is starting or stopping. */
  private static final Duration SETTLING = Duration.ofMillis(250);

  private final SessionRepository sessions;
  private final WorkspaceRepository workspaces;
  private final UserRepository users;
  private final PtyClient pty;
  private final AuditLog audit;
  private final SessionConfig config;
  private final Credentials credentials;
  private final ProfileArgumentsService arguments;
  private final Vertx vertx;
  private final Clock clock = Clock.systemUTC();

  SessionService(
      SessionRepository sessions,
      WorkspaceRepository workspaces,
      UserRepository users,
      PtyClient pty,
      AuditLog audit,
      SessionConfig config,
      Credentials credentials,
      ProfileArgumentsService arguments,
      Vertx vertx) {
    this.credentials = credentials;
    this.arguments = arguments;
    this.sessions = sessions;
    this.workspaces = workspaces;
    this.users = users;
    this.pty = pty;
    this.audit = audit;
    this.config = config;
    this.vertx = vertx;
  }

  /**
   * The caller's sessions, or with {@code all} (admins only) everyone's; only those of {@code
   * workspaceId} unless it is null.
   */
  public Uni<List<SessionView>> list(Caller caller, boolean all, String workspaceId) {
    if (all && !caller.isAdmin()) {
      return Uni.createFrom()
          .failure(ApiException.forbidden("Only administrators may list everyone's sessions."));
    }
    return sessions
        .list(all ? null : caller.userId(), workspaceId)
        .chain(
            found ->
                found.isEmpty()
                    ? Uni.createFrom().item(List.<SessionView>of())
                    : Uni.join().all(found.stream().map(this::observe).toList()).andFailFast());
  }

  /** The session, with its tabs: a session at rest is asked for them too, it may have cold ones. */
  public Uni<SessionView> get(Caller caller, String id) {
    return find(caller, id).chain(this::observeWithColdTabs);
  }

  /**
   * A new idle session of the caller in one of their own workspaces, which must be ready, running a
   * profile the pty-services run.
   */
  public Uni<SessionView> create(Caller caller, String workspaceId, String name, String profile) {
    return checkRunHere(profile == null ? Session.DEFAULT_PROFILE : profile)
        .chain(() -> workspaces.find(workspaceId))
        .chain(
            workspace -> {
              if (workspace == null || !caller.mayAccess(workspace.getOwnerId())) {
                throw ApiException.notFound("No such workspace.");
              }
              if (!workspace.getOwnerId().equals(caller.userId())) {
                // An administrator's session would run as the administrator, whose folders do not
                // hold another user's workspace.
                throw ApiException.invalidField(
                    "workspaceId", "must be one of your own workspaces");
              }
              if (workspace.getState() != Workspace.State.READY) {
                throw ApiException.conflict(
                    "The workspace is "
                        + workspace.getState().name().toLowerCase(Locale.ROOT)
                        + "; sessions need a ready one.");
              }
              Session session =
                  Session.create(
                      caller.userId(),
                      workspaceId,
                      name,
                      profile == null ? Session.DEFAULT_PROFILE : profile,
                      clock.instant());
              return sessions
                  .persistWithinQuota(session, config.maxPerUser())
                  .onFailure(QuotaReached.class)
                  .transform(
                      quota ->
                          ApiException.quotaExceeded(
                              "You have "
                                  + config.maxPerUser()
                                  + " sessions, the most allowed; delete one first."));
            })
        .map(SessionView::of);
  }

  public Uni<SessionView> rename(Caller caller, String id, String name) {
    return find(caller, id)
        .chain(() -> sessions.rename(id, name, clock.instant()))
        .chain(() -> find(caller, id))
        .chain(this::observe);
  }

  /** Changes what the session's first terminal runs; only while it runs nothing. */
  public Uni<SessionView> changeProfile(Caller caller, String id, String profile) {
    return find(caller, id)
        .call(() -> checkRunHere(profile))
        .call(
            () ->
                sessions
                    .changeProfile(id, profile, clock.instant())
                    .invoke(
                        changed -> {
                          if (!changed) {
                            throw ApiException.conflict(
                                "The session is running; change its profile once it is stopped.");
                          }
                        }))
        .chain(() -> find(caller, id))
        .chain(this::observe);
  }

  /**
   * Starts the session with a first terminal of its profile. Of concurrent starts exactly one
   * claims it; the others get a 409 and start nothing.
   */
  public Uni<SessionView> start(Caller caller, String id, boolean resume, int cols, int rows) {
    return find(caller, id)
        .chain(
            session ->
                claimStart(session).chain(version -> launch(session, version, resume, cols, rows)))
        .call(started -> audit.record(caller, AuditAction.SESSION_STARTED, id, started.profile()));
  }

  /**
   * Claims the start of {@code session}: its version after the claim. 409 when it is not at rest,
   * 429 beyond the owner's quota of running sessions.
   */
  private Uni<Long> claimStart(Session session) {
    return sessions
        .claimStart(
            session.getId(), session.getOwnerId(), config.maxRunningPerUser(), clock.instant())
        .onFailure(QuotaReached.class)
        .transform(
            quota ->
                ApiException.quotaExceeded(
                    "You run "
                        + config.maxRunningPerUser()
                        + " sessions, the most allowed at once; stop one first."))
        .onFailure(OwnerInactive.class)
        .transform(
            inactive ->
                ApiException.conflict(
                    "The session's owner is deactivated; reactivate them to start" + " it."))
        .map(
            claimed -> {
              if (claimed.isEmpty()) {
                throw ApiException.conflict(
                    "The session is starting, running or stopping already.");
              }
              return claimed.get();
            });
  }

  /** Stops every process of the session. Stopping a session that runs nowhere just settles it. */
  public Uni<SessionView> stop(Caller caller, String id) {
    return find(caller, id)
        .chain(this::halt)
        .call(() -> audit.record(caller, AuditAction.SESSION_STOPPED, id, null))
        .chain(this::observe);
  }

  /**
   * Stops every process of every live session of {@code ownerId}, whose account {@code admin} has
   * just deactivated, the way an admin's stop does; each is audited as {@code admin}'s with the
   * reason. No start can be claimed for them any more ({@link SessionRepository#claimStart}); one
   * claimed before, or a stop under way, is waited for until it settles (a pty-service answers
   * within {@link PtyClient#DEFAULT_TIMEOUT}), then stopped.
   */
  public Uni<Void> stopEverySessionOf(Caller admin, String ownerId) {
    Instant giveUp = clock.instant().plus(PtyClient.DEFAULT_TIMEOUT).plus(SETTLING);
    return sessions
        .list(ownerId, null)
        .onItem()
        .transformToMulti(owned -> Multi.createFrom().iterable(owned))
        .onItem()
        .transformToUniAndConcatenate(session -> stopForDeactivation(admin, session, giveUp))
        .collect()
        .last()
        .replaceWithVoid();
  }

  private Uni<Void> stopForDeactivation(Caller admin, Session session, Instant giveUp) {
    if (!State.LIVE.contains(session.getState())) {
      return Uni.createFrom().voidItem();
    }
    String id = session.getId();
    return halt(session)
        .call(() -> audit.record(admin, AuditAction.SESSION_STOPPED, id, "owner deactivated"))
        .replaceWithVoid()
        .onFailure(failure -> failure instanceof ApiException e && e.status() == 409)
        .recoverWithUni(
            busy -> {
              if (clock.instant().isAfter(giveUp)) {
                return Uni.createFrom()
                    .failure(
                        ApiException.unavailable(
                            "Session "
                                + id
                                + " is still starting or stopping; deactivate the user again to"
                                + " stop it."));
              }
              return pause(SETTLING)
                  .chain(() -> sessions.find(id))
                  .chain(
                      current ->
                          current == null
                              ? Uni.createFrom().voidItem()
                              : stopForDeactivation(admin, current, giveUp));
            });
  }

  /** Completes after {@code delay}, on the caller's Vert.x context (a timer set from it). */
  private Uni<Void> pause(Duration delay) {
    return Uni.createFrom()
        .emitter(emitter -> vertx.setTimer(delay.toMillis(), timer -> emitter.complete(null)));
  }

  /** Stops every process of the session, then deletes it. */
  public Uni<Void> delete(Caller caller, String id) {
    return find(caller, id)
        .chain(this::halt)
        .chain(() -> sessions.deleteAtRest(id))
        .invoke(
            deleted -> {
              if (!deleted) {
                throw ApiException.conflict(
                    "The session was started again meanwhile; stop it, then delete it.");
              }
            })
        .call(() -> audit.record(caller, AuditAction.SESSION_DELETED, id, null))
        .replaceWithVoid();
  }

  /** Opens another terminal in the running session; its id. */
  public Uni<String> openTab(
      Caller caller, String id, String profile, boolean resume, int cols, int rows) {
    return find(caller, id)
        .chain(
            session -> {
              if (session.getState() != State.RUNNING) {
                throw notRunning();
              }
              return ownerIsAdmin(session)
                  .chain(
                      admin ->
                          launchExtras(session.getOwnerId(), profile)
                              .chain(
                                  extras ->
                                      pty.control(
                                          id,
                                          new OpenTab(
                                              session.getOwnerId(),
                                              profile,
                                              cols,
                                              rows,
                                              admin,
                                              resume,
                                              extras.arguments(),
                                              extras.secrets()))))
                  .chain(
                      reply ->
                          reply.isPresent()
                              ? Uni.createFrom()
                                  .item(TerminalOpened.parse(reply.get().body()).terminalId())
                              : correct(session, State.IDLE, "no longer running")
                                  .chain(ignored -> Uni.createFrom().failure(notRunning())));
            });
  }

  /**
   * Corrects every session the database believes live; the number corrected. For when the
   * api-service or a pty-service has just started.
   */
  Uni<Long> reconcileAll(String why) {
    return sessions
        .listLive()
        .onItem()
        .transformToMulti(live -> Multi.createFrom().iterable(live))
        .onItem()
        .transformToUniAndConcatenate(
            session ->
                reconcile(session, why)
                    .map(corrected -> corrected.getVersion() != session.getVersion())
                    .onFailure()
                    .recoverWithItem(
                        failure -> {
                          LOG.warning(
                              "cannot reconcile session " + session.getId() + ": " + failure);
                          return false;
                        }))
        .filter(corrected -> corrected)
        .collect()
        .with(Collectors.counting());
  }

  /**
   * A pty-service started and serves the cold sessions of its earlier run: those deleted meanwhile
   * (no row, or another owner's) are stopped, which deletes their tabs' records and output.
   */
  Uni<Void> deleteUnknownColdSessions(PtyStarted started) {
    return Multi.createFrom()
        .iterable(started.cold())
        .onItem()
        .transformToUniAndConcatenate(
            cold ->
                sessions
                    .find(cold.session())
                    .chain(
                        session ->
                            session != null && session.getOwnerId().equals(cold.owner())
                                ? Uni.createFrom().voidItem()
                                : pty.control(cold.session(), new StopSession(cold.owner()))
                                    .invoke(
                                        () ->
                                            LOG.info(
                                                "deleted the cold tabs of session "
                                                    + cold.session()
                                                    + ", which no longer exists"))
                                    .replaceWithVoid()))
        .collect()
        .last()
        .replaceWithVoid();
  }

  /** A pty-service says the session's last terminal has exited: correct the row. */
  Uni<Void> ended(SessionEnded event) {
    return sessions
        .find(event.session())
        .chain(
            session -> {
              if (session == null) {
                return Uni.createFrom().voidItem();
              }
              if (!session.getOwnerId().equals(event.owner())) {
                LOG.warning(
                    "ignored the end of session " + event.session() + " reported for another user");
                return Uni.createFrom().voidItem();
              }
              return reconcile(session, "exited with code " + event.exitCode()).replaceWithVoid();
            })
        // Deleting a session stops it, and its end may be reported after the row is gone.
        .onFailure(failure -> failure instanceof ApiException e && e.status() == 404)
        .recoverWithNull();
  }

  /**
   * Whether the session's owner, whose processes the pty-service runs, is an administrator: by the
   * database, since an administrator may start another user's session.
   */
  private Uni<Boolean> ownerIsAdmin(Session session) {
    return users
        .findById(session.getOwnerId())
        .map(owner -> owner != null && owner.getRole() == User.Role.ADMIN);
  }

  /** What the owner adds to a terminal of theirs: extra arguments and API keys. */
  private record LaunchExtras(List<String> arguments, Map<String, String> secrets) {}

  /**
   * The owner's extra arguments for {@code profile}, and the API keys a terminal of it gets: those
   * the profile takes, as the pty-services announce it, and those the owner wants in every tab.
   */
  private Uni<LaunchExtras> launchExtras(String ownerId, String profile) {
    return pty.profiles()
        .chain(
            profiles ->
                credentials.forLaunch(
                    ownerId, profiles.find(profile).map(ProfileInfo::secrets).orElse(List.of())))
        .chain(
            secrets ->
                arguments
                    .forLaunch(ownerId, profile)
                    .map(added -> new LaunchExtras(added, secrets)));
  }

  /**
   * Refuses a profile the pty-services do not announce. When none answers, the start will say why
   * it cannot run; a profile an operator removes later fails its sessions' starts the same way.
   */
  private Uni<Void> checkRunHere(String profile) {
    return pty.profiles()
        .onFailure()
        .recoverWithNull()
        .invoke(
            profiles -> {
              if (profiles != null && profiles.find(profile).isEmpty()) {
                throw ApiException.invalidField("profile", profiles.notRunHere());
              }
            })
        .replaceWithVoid();
  }

  private Uni<Session> find(Caller caller, String id) {
    return sessions
        .find(id)
        .map(
            session -> {
              if (session == null || !caller.mayAccess(session.getOwnerId())) {
                throw ApiException.notFound("No such session.");
              }
              return session;
            });
  }

  /**
   * Asks the pty-service for the first terminal. Whatever the answer, the session ends up {@code
   * running} if a pty-service runs it afterwards (a lost reply, or a session that ran already),
   * else {@code error} with the reason, which the caller also gets.
   */
  private Uni<SessionView> launch(
      Session session, long version, boolean resume, int cols, int rows) {
    String id = session.getId();
    return ownerIsAdmin(session)
        .chain(
            admin ->
                launchExtras(session.getOwnerId(), session.getProfile())
                    .chain(
                        extras ->
                            pty.request(
                                new StartSession(
                                    session.getOwnerId(),
                                    id,
                                    session.getWorkspaceId(),
                                    session.getProfile(),
                                    cols,
                                    rows,
                                    admin,
                                    resume,
                                    extras.arguments(),
                                    extras.secrets()),
                                PtyClient.DEFAULT_TIMEOUT)))
        .chain(reply -> settle(session, version, State.RUNNING, null).chain(this::observe))
        .onFailure()
        .recoverWithUni(failure -> settleFailedStart(session, version, failure));
  }

  /**
   * After a start that failed: {@code running} if a pty-service runs the session after all (a lost
   * reply, or a session that ran already), else {@code error} with the reason, which the caller
   * gets too.
   */
  private Uni<SessionView> settleFailedStart(Session session, long version, Throwable failure) {
    return status(session)
        .onFailure()
        .recoverWithItem(Optional.empty())
        .chain(
            status ->
                runs(status)
                    ? settle(session, version, State.RUNNING, null).chain(this::observe)
                    : settle(session, version, State.ERROR, failure.getMessage())
                        .chain(ignored -> Uni.createFrom().failure(failure)));
  }

  /**
   * Claims the stop, asks the pty-service to stop every process of the session (nothing serving it
   * means nothing runs), and settles the row {@code idle}. If the pty-service fails, the row is
   * corrected to what is true and the failure passed on.
   */
  private Uni<Session> halt(Session session) {
    String id = session.getId();
    return sessions
        .claimStop(id, clock.instant())
        .chain(
            claimed -> {
              if (claimed.isEmpty()) {
                throw ApiException.conflict(
                    "The session is starting or stopping; try again in a moment.");
              }
              return pty.controlRepeatedly(
                      id, new StopSession(session.getOwnerId()), PtyClient.QUERY_TIMEOUT, 3)
                  .onFailure()
                  .call(() -> reload(id).chain(current -> reconcile(current, "stop failed")))
                  .chain(() -> settle(session, claimed.get(), State.IDLE, null));
            });
  }

  /**
   * Moves the session to {@code state} if its row is still at {@code version}, the one this
   * operation's claim made; else someone else changed it meanwhile, and it is corrected to what the
   * pty-service says. The row as it is afterwards.
   */
  private Uni<Session> settle(Session session, long version, State state, String error) {
    String id = session.getId();
    Instant now = clock.instant();
    return sessions
        .settle(id, version, state, error, state == State.RUNNING ? now : null, now)
        .chain(
            settled ->
                settled
                    ? reload(id)
                    : reload(id).chain(changed -> reconcile(changed, "changed meanwhile")));
  }

  /**
   * Compares a session the database believes live (starting, running or stopping) with what the
   * pty-service says, and corrects the row unless it changed meanwhile. Others are returned as they
   * are; so is a session whose pty-service does not answer.
   */
  Uni<Session> reconcile(Session session, String why) {
    if (!State.LIVE.contains(session.getState())) {
      return Uni.createFrom().item(session);
    }
    return status(session)
        .chain(status -> correct(session, runs(status) ? State.RUNNING : State.IDLE, why));
  }

  /**
   * Ends one tab of the session: a running one's process is stopped, whatever runs in it (the last
   * one ends the session, as when its process exits; the tab then shows as exited); an exited or
   * cold one is forgotten, its output deleted.
   */
  public Uni<Void> closeTab(Caller caller, String id, String terminalId) {
    return withTab(
        caller,
        id,
        terminalId,
        (session, tab) ->
            tab.state().equals("running")
                ? pty.closeTerminal(terminalId, session.getOwnerId())
                : tabControl(session, new DropTab(session.getOwnerId(), terminalId)));
  }

  /** Names one tab of the session, running or not; every viewer's tab strip shows the name. */
  public Uni<Void> renameTab(Caller caller, String id, String terminalId, String name) {
    return withTab(
        caller,
        id,
        terminalId,
        (session, tab) ->
            tabControl(session, new RenameTab(session.getOwnerId(), terminalId, name)));
  }

  /**
   * Starts what an exited or cold tab ran again, in place: same terminal, its old output above a
   * marker. A cold tab's session is at rest; relaunching it starts the session, claimed as {@link
   * #start} claims it. The session afterwards.
   */
  public Uni<SessionView> relaunchTab(Caller caller, String id, String terminalId, boolean resume) {
    return withTab(
        caller,
        id,
        terminalId,
        (session, tab) -> {
          if (tab.state().equals("running")) {
            throw ApiException.conflict("The tab is running; nothing to relaunch.");
          }
          if (session.getState() == State.RUNNING) {
            return relaunchControl(session, tab, resume).chain(() -> observe(session));
          }
          return claimStart(session)
              .chain(
                  version ->
                      relaunchControl(session, tab, resume)
                          .chain(
                              () ->
                                  settle(session, version, State.RUNNING, null)
                                      .chain(this::observe))
                          .onFailure()
                          .recoverWithUni(failure -> settleFailedStart(session, version, failure)))
              .call(
                  started ->
                      audit.record(caller, AuditAction.SESSION_STARTED, id, started.profile()));
        });
  }

  /** {@code action} on tab {@code terminalId} of the caller's session {@code id}. */
  private <T> Uni<T> withTab(
      Caller caller, String id, String terminalId, BiFunction<Session, TabInfo, Uni<T>> action) {
    return find(caller, id)
        .chain(session -> tab(session, terminalId).chain(tab -> action.apply(session, tab)));
  }

  private Uni<Void> relaunchControl(Session session, TabInfo tab, boolean resume) {
    return ownerIsAdmin(session)
        .chain(
            admin ->
                launchExtras(session.getOwnerId(), tab.profile())
                    .chain(
                        extras ->
                            tabControl(
                                session,
                                new RelaunchTab(
                                    session.getOwnerId(),
                                    tab.id(),
                                    admin,
                                    resume,
                                    extras.arguments(),
                                    extras.secrets()))));
  }

  /**
   * Tab {@code terminalId} of the session, as its pty-service tells it: 409 when none serves the
   * session, 404 when it has no such tab.
   */
  private Uni<TabInfo> tab(Session session, String terminalId) {
    return status(session)
        .map(
            status -> {
              if (status.isEmpty()) {
                throw ApiException.conflict("The session is not running.");
              }
              return status.get().tabs().stream()
                  .filter(tab -> tab.id().equals(terminalId))
                  .findFirst()
                  .orElseThrow(() -> ApiException.notFound("The session has no such tab."));
            });
  }

  /** Sends {@code control} about a tab; 404 when the session is no longer served meanwhile. */
  private Uni<Void> tabControl(Session session, SessionControl control) {
    return pty.control(session.getId(), control)
        .invoke(
            reply -> {
              if (reply.isEmpty()) {
                throw ApiException.notFound("The session has no such tab.");
              }
            })
        .replaceWithVoid();
  }

  /**
   * The session's terminals and tabs, or empty when no pty-service serves it. One that serves it
   * may run nothing: its tabs are cold.
   */
  private Uni<Optional<SessionTerminals>> status(Session session) {
    return status(session, PtyClient.DEFAULT_TIMEOUT);
  }

  private Uni<Optional<SessionTerminals>> status(Session session, Duration timeout) {
    return pty.control(session.getId(), new SessionStatus(session.getOwnerId()), timeout)
        .map(reply -> reply.map(answer -> SessionTerminals.parse(answer.body())));
  }

  /** Whether a process of the session runs, by its status. */
  private static boolean runs(Optional<SessionTerminals> status) {
    return status.isPresent() && status.get().runs();
  }

  /**
   * Moves {@code session} to {@code truth} unless its row changed since it was read. A run that
   * ended without anyone stopping it is audited as stopped by the service itself, with {@code why}.
   * The row as it is afterwards.
   */
  private Uni<Session> correct(Session session, State truth, String why) {
    if (session.getState() == truth) {
      return Uni.createFrom().item(session);
    }
    Instant now = clock.instant();
    Instant startedAt =
        truth != State.RUNNING
            ? null
            : session.getStartedAt() == null ? now : session.getStartedAt();
    String id = session.getId();
    return sessions
        .settle(id, session.getVersion(), truth, null, startedAt, now)
        .call(
            corrected -> {
              if (!corrected) {
                return Uni.createFrom().voidItem();
              }
              LOG.info(
                  "session "
                      + id
                      + " was "
                      + session.getState()
                      + ", is "
                      + truth
                      + " ("
                      + why
                      + ")");
              return session.getState() == State.RUNNING && truth == State.IDLE
                  ? audit.record(null, null, AuditAction.SESSION_STOPPED, id, why)
                  : Uni.createFrom().voidItem();
            })
        .chain(() -> reload(id));
  }

  /** The session as it is now; 404 if it was deleted meanwhile. */
  private Uni<Session> reload(String id) {
    return sessions
        .find(id)
        .onItem()
        .ifNull()
        .failWith(() -> ApiException.notFound("The session was deleted meanwhile."));
  }

  /**
   * The session with its terminals. One believed running is asked for them; if it runs nowhere
   * after all, it is corrected to idle. If the pty-service does not answer, the row is shown as it
   * is, without terminals.
   */
  private Uni<SessionView> observe(Session session) {
    if (session.getState() != State.RUNNING) {
      return Uni.createFrom().item(SessionView.of(session));
    }
    return observeWithColdTabs(session);
  }

  /**
   * {@link #observe}, asking for the tabs of a session at rest too: a pty-service that restarted
   * serves its tabs cold.
   */
  private Uni<SessionView> observeWithColdTabs(Session session) {
    if (session.getState() != State.RUNNING && !State.AT_REST.contains(session.getState())) {
      return Uni.createFrom().item(SessionView.of(session));
    }
    return status(session, PtyClient.QUERY_TIMEOUT)
        .chain(
            status ->
                runs(status) || session.getState() != State.RUNNING
                    ? Uni.createFrom().item(SessionView.of(session, status.orElse(null)))
                    : correct(session, State.IDLE, "no longer running")
                        .map(corrected -> SessionView.of(corrected, status.orElse(null))))
        .onFailure(ApiException.class)
        .recoverWithUni(
            failure -> {
              LOG.warning("no status of session " + session.getId() + ": " + failure.getMessage());
              // Unanswered, most often because the session ended meanwhile: its row says so.
              return sessions
                  .find(session.getId())
                  .map(now -> SessionView.of(now == null ? session : now));
            });
  }

  private static ApiException notRunning() {
    return ApiException.conflict("The session is not running; start it first.");
  }
}
