package dev.ccc.pty.bus;

import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.CreateWorkspace;
import dev.ccc.bus.BusContract.DeleteWorkspace;
import dev.ccc.bus.BusContract.ProfileList;
import dev.ccc.bus.BusContract.PtyStarted;
import dev.ccc.bus.BusContract.StartSession;
import dev.ccc.bus.BusContract.TerminalOpened;
import dev.ccc.bus.BusContract.WorkspaceFolder;
import dev.ccc.bus.BusContract.WorkspaceMade;
import dev.ccc.bus.BusContract.WorkspaceStatus;
import dev.ccc.bus.BusKey;
import dev.ccc.pty.sandbox.Owner;
import dev.ccc.pty.session.Sessions;
import dev.ccc.pty.terminal.Launch;
import dev.ccc.pty.terminal.Profiles.Profile;
import dev.ccc.pty.terminal.Terminal;
import dev.ccc.pty.workspace.Workspaces;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Serves the requests every pty-service answers: the workspace requests and {@link
 * BusContract#PTY_SESSION_START}; publishes the outcome of clones. Terminals and sessions it starts
 * go on the bus as {@link TerminalEndpoint}s and {@link SessionEndpoint}s. Deploy one instance per
 * pty-service; the bus spreads requests over all pty-services of the cluster. Once it serves, it
 * announces itself with {@link BusContract#PTY_STARTED}.
 */
public final class PtyBusVerticle extends AbstractVerticle {
  private static final Logger LOG = Logger.getLogger(PtyBusVerticle.class.getName());

  /**
   * Clones that run at once; more wait for a thread. Clones take minutes, so they get threads of
   * their own rather than holding the shared worker pool that opening and closing terminals need.
   */
  private static final int CLONE_THREADS = 4;

  private final Workspaces workspaces;
  private final Sessions sessions;
  private final BusKey key;
  private WorkerExecutor cloneExecutor;

  /** {@code key}: the installation's bus key, under which every request must be proven. */
  public PtyBusVerticle(Workspaces workspaces, Sessions sessions, BusKey key) {
    this.workspaces = workspaces;
    this.sessions = sessions;
    this.key = key;
  }

  /**
   * Completes once every consumer is known to the whole cluster, and {@link PtyStarted} is
   * published.
   */
  @Override
  public void start(Promise<Void> started) {
    // Closed by Vert.x when the verticle is undeployed. The limit only silences the blocked-thread
    // warning: GitClone enforces the clone timeout itself.
    Duration cloneLimit = workspaces.cloneTimeout().plusMinutes(1);
    cloneExecutor =
        vertx.createSharedWorkerExecutor(
            "ccc-pty-clone", CLONE_THREADS, cloneLimit.toMillis(), TimeUnit.MILLISECONDS);
    Future.all(
            serve(
                BusContract.PTY_WORKSPACE_CREATE,
                body -> CreateWorkspace.parse(body, key),
                this::createWorkspace),
            serve(
                BusContract.PTY_WORKSPACE_DELETE,
                body -> DeleteWorkspace.parse(body, key),
                this::deleteWorkspace),
            serve(
                BusContract.PTY_WORKSPACE_STATUS,
                body -> WorkspaceStatus.parse(body, key),
                this::workspaceStatus),
            serve(
                BusContract.PTY_SESSION_START,
                body -> StartSession.parse(body, key),
                this::startSession),
            serve(BusContract.PTY_PROFILES, body -> body, this::profiles))
        .<Void>mapEmpty()
        .onSuccess(
            ignored ->
                // Sessions of an earlier run of this service are gone: whoever keeps their state
                // checks it now.
                vertx
                    .eventBus()
                    .publish(
                        BusContract.PTY_STARTED,
                        new PtyStarted(UUID.randomUUID().toString()).toJson()))
        .onComplete(started);
  }

  /**
   * Answers requests on {@code address}: a body that {@code parse} refuses fails as {@link
   * Replies#read} says, else the reply is what {@code handle} produces. Completes once the consumer
   * is registered.
   */
  private <T> Future<Void> serve(
      String address, Function<Object, T> parse, Function<T, Future<?>> handle) {
    MessageConsumer<Object> consumer =
        vertx
            .eventBus()
            .consumer(
                address,
                message -> {
                  T request = Replies.read(message, parse, "a request on " + address);
                  if (request != null) {
                    Replies.when(message, handle.apply(request), request);
                  }
                });
    Promise<Void> registered = Promise.promise();
    consumer.completionHandler(registered);
    return registered.future();
  }

  private Future<Object> profiles(Object request) {
    return Future.succeededFuture(
        new ProfileList(sessions.profiles().all().stream().map(Profile::info).toList()).toJson());
  }

  private Future<Void> createWorkspace(CreateWorkspace request) {
    UUID workspace = UUID.fromString(request.workspace());
    if (request.cloneUrl() == null) {
      return vertx.executeBlocking(
          () -> {
            workspaces.createEmpty(request.owner(), workspace);
            return null;
          },
          false);
    }
    return vertx
        .executeBlocking(
            () ->
                workspaces.reserveClone(
                    new Owner(request.owner(), request.admin()),
                    workspace,
                    request.cloneUrl(),
                    request.branch()),
            false)
        .onSuccess(clone -> cloneInBackground(request, clone))
        .mapEmpty();
  }

  /** Runs a reserved clone on a clone thread, then publishes how it went. */
  private void cloneInBackground(CreateWorkspace request, Workspaces.Clone clone) {
    cloneExecutor
        .executeBlocking(
            () -> {
              clone.run();
              return null;
            },
            false)
        .onComplete(
            cloned -> {
              String error =
                  cloned.succeeded() ? null : String.valueOf(cloned.cause().getMessage());
              if (error == null) {
                LOG.info("cloned workspace " + request.workspace() + " of " + request.owner());
              } else {
                LOG.warning("clone of workspace " + request.workspace() + " failed: " + error);
              }
              vertx
                  .eventBus()
                  .publish(
                      BusContract.PTY_WORKSPACE_EVENTS,
                      new WorkspaceMade(request.owner(), request.workspace(), error).toJson());
            });
  }

  private Future<Object> workspaceStatus(WorkspaceStatus request) {
    return vertx.executeBlocking(
        () ->
            new WorkspaceFolder(
                    workspaces.presence(request.owner(), UUID.fromString(request.workspace())))
                .toJson(),
        false);
  }

  private Future<Void> deleteWorkspace(DeleteWorkspace request) {
    return vertx.executeBlocking(
        () -> {
          workspaces.delete(request.owner(), UUID.fromString(request.workspace()));
          return null;
        },
        false);
  }

  private Future<Object> startSession(StartSession request) {
    TerminalEndpoint terminalEndpoint =
        new TerminalEndpoint(
            vertx, context, key, new BusContract.TerminalSize(request.cols(), request.rows()));
    SessionEndpoint sessionEndpoint = new SessionEndpoint(vertx, context, request, key);
    return vertx
        .executeBlocking(
            () ->
                sessions.start(
                    UUID.fromString(request.session()),
                    new Owner(request.owner(), request.admin()),
                    UUID.fromString(request.workspace()),
                    new Launch(
                        request.profile(),
                        request.resume(),
                        request.arguments(),
                        request.secrets()),
                    request.cols(),
                    request.rows(),
                    terminalEndpoint,
                    sessionEndpoint),
            false)
        .compose(
            started ->
                terminalEndpoint
                    .register(started.terminal())
                    .compose(terminal -> sessionEndpoint.register(started.session()))
                    .map(ignored -> opened(started.terminal(), request.owner(), request.profile())))
        .onSuccess(ignored -> LOG.info("started session " + request.session()));
  }

  /** Logs a terminal that is now on the bus, and makes the reply that tells its id. */
  static Object opened(Terminal terminal, String owner, String profile) {
    LOG.info(
        "opened terminal "
            + terminal.id()
            + " ("
            + profile
            + ", pid "
            + terminal.pid()
            + ") for "
            + owner);
    return new TerminalOpened(terminal.id().toString()).toJson();
  }
}
