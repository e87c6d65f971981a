package dev.ccc.api.bus;

import dev.ccc.api.web.ApiException;
import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.Close;
import dev.ccc.bus.BusContract.InvalidMessage;
import dev.ccc.bus.BusContract.ProfileList;
import dev.ccc.bus.BusContract.PtyRequest;
import dev.ccc.bus.BusContract.PtyStarted;
import dev.ccc.bus.BusContract.SessionControl;
import dev.ccc.bus.BusContract.UnprovenMessage;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How the api-service talks to pty-services: requests and their failures, and the events they
 * publish.
 *
 * <p>The bus belongs to the api-service's own clustered Vert.x ({@link BusMembership}), so replies
 * and events arrive on its threads. Hibernate Reactive must not run there: every reply and event is
 * handed back to a context of Quarkus' Vert.x before anything continues, the caller's own when
 * there is one (so a request keeps its request scope), else a fresh one.
 *
 * <p>Every request acts for a user, so it carries a proof under the bus key ({@link
 * BusMembership#key}); the contract's codecs add it here.
 *
 * <p>Failures become {@link ApiException}s here, in one place: no pty-service (no handler, or no
 * answer in time) is 503, a rejected message 400, a conflict 409, another user's or a missing thing
 * 404, a refused proof (another bus key) 503, and anything else the pty-service could not do 503
 * with its reason.
 */
@ApplicationScoped
public class PtyClient {
  private static final Logger LOG = Logger.getLogger(PtyClient.class.getName());

  /**
   * Enough for any request: a pty-service answers at once, after spawning, or once a clone is under
   * way.
   */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /**
   * For what a pty-service answers within moments: questions, and stops (a session's processes are
   * hung up, then killed after half a second). A request that reaches a session's address as its
   * last terminal ends is dropped unanswered with the address (Vert.x discards what a consumer had
   * pending when it unregisters), so waiting long gains nothing.
   */
  public static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);

  private final BusMembership bus;
  private final Vertx quarkusVertx;

  PtyClient(BusMembership bus, Vertx quarkusVertx) {
    this.bus = bus;
    this.quarkusVertx = quarkusVertx;
  }

  /** Sends {@code request}; the reply's body, or the failure as an {@link ApiException}. */
  public Uni<Object> request(PtyRequest request, Duration timeout) {
    return raw(request.address(), request.toJson(bus.key()), timeout)
        .map(Message::body)
        .onFailure()
        .transform(PtyClient::translate);
  }

  /**
   * Ends terminal {@code terminalId} of {@code owner}: its process group is hung up, then killed.
   */
  public Uni<Void> closeTerminal(String terminalId, String owner) {
    return raw(
            BusContract.terminalControl(terminalId),
            new Close(owner).toJson(bus.key(), terminalId),
            DEFAULT_TIMEOUT)
        .replaceWithVoid()
        .onFailure()
        .transform(PtyClient::translate);
  }

  /** The profiles the pty-services' terminals can run, as they announce them. */
  public Uni<ProfileList> profiles() {
    return raw(BusContract.PTY_PROFILES, new JsonObject(), DEFAULT_TIMEOUT)
        .map(reply -> ProfileList.parse(reply.body()))
        .onFailure()
        .transform(PtyClient::translate);
  }

  /**
   * Sends {@code control} to the session's pty-service; its reply, or empty when no pty-service
   * runs the session. Other failures as {@link ApiException}s.
   */
  public Uni<Optional<Message<Object>>> control(String sessionId, SessionControl control) {
    return control(sessionId, control, DEFAULT_TIMEOUT);
  }

  /** {@link #control(String, SessionControl)} with a reply expected within {@code timeout}. */
  public Uni<Optional<Message<Object>>> control(
      String sessionId, SessionControl control, Duration timeout) {
    return raw(BusContract.sessionControl(sessionId), control.toJson(bus.key(), sessionId), timeout)
        .map(Optional::of)
        .onFailure(PtyClient::noHandler)
        .recoverWithItem(Optional.empty())
        .onFailure()
        .transform(PtyClient::translate);
  }

  /**
   * {@link #control(String, SessionControl, Duration)} for a request that may be repeated, such as
   * a stop or a status question: sent again when unanswered within {@code timeout}, up to {@code
   * attempts} times in all. Vert.x drops a request that reaches an address as its consumer
   * unregisters (eclipse-vertx/vert.x#3979); a repeat finds the address served or gone.
   */
  public Uni<Optional<Message<Object>>> controlRepeatedly(
      String sessionId, SessionControl control, Duration timeout, int attempts) {
    return raw(BusContract.sessionControl(sessionId), control.toJson(bus.key(), sessionId), timeout)
        .onFailure(PtyClient::timedOut)
        .invoke(
            unanswered ->
                LOG.warning(
                    "session "
                        + sessionId
                        + " did not answer "
                        + control.getClass().getSimpleName()
                        + "; asking again"))
        .onFailure(PtyClient::timedOut)
        .retry()
        .atMost(attempts - 1L)
        .map(Optional::of)
        .onFailure(PtyClient::noHandler)
        .recoverWithItem(Optional.empty())
        .onFailure()
        .transform(PtyClient::translate);
  }

  /**
   * Listens to what pty-services publish on {@code address}: each body that {@code parse} accepts
   * goes to {@code handle}, on a fresh context of Quarkus' Vert.x; a failure is logged. Blocks
   * until the whole cluster knows the listener.
   */
  public <T> void listen(String address, Function<Object, T> parse, Function<T, Uni<?>> handle)
      throws Exception {
    bus.serve(
            address,
            message -> {
              T event;
              try {
                event = parse.apply(message.body());
              } catch (InvalidMessage | UnprovenMessage e) {
                LOG.warning("message on " + address + " dropped: " + e.getMessage());
                return;
              }
              run("handling " + event, () -> handle.apply(event));
            })
        .toCompletionStage()
        .toCompletableFuture()
        .get(DEFAULT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /**
   * For state kept about what pty-services hold, which may have drifted while nobody listened: runs
   * {@code reconcile} in the background now, when this api-service has joined the bus, and again
   * whenever a pty-service starts (its earlier run's processes and clones are gone). Its argument
   * says why. Call it after subscribing to the events that keep the state current, so that none is
   * missed whatever the reconciliation finds.
   */
  public void reconcileOnEveryStart(String what, Function<String, Uni<?>> reconcile)
      throws Exception {
    listen(
        BusContract.PTY_STARTED,
        PtyStarted::parse,
        started -> reconcile.apply("pty-service " + started.instance() + " started"));
    inBackground(
        "reconciling " + what + " at startup", () -> reconcile.apply("api-service started"));
  }

  /**
   * Runs {@code work} outside any request, on a fresh context of Quarkus' Vert.x, and logs its
   * failure: for what goes on after a response was sent, or on an event.
   */
  public void inBackground(String what, Supplier<Uni<?>> work) {
    bus.onQuarkusVertx(() -> run(what, work));
  }

  /** Runs {@code work} as {@link #inBackground} does, after {@code delay}. */
  public void later(Duration delay, String what, Supplier<Uni<?>> work) {
    quarkusVertx.setTimer(delay.toMillis(), timer -> inBackground(what, work));
  }

  private static void run(String what, Supplier<Uni<?>> work) {
    Uni.createFrom()
        .deferred(work)
        .subscribe()
        .with(done -> {}, failure -> LOG.log(Level.WARNING, what + " failed", failure));
  }

  /** Whether {@code failure} says that nothing serves the address: nobody runs that session. */
  private static boolean noHandler(Throwable failure) {
    return failure instanceof ReplyException reply
        && reply.failureType() == ReplyFailure.NO_HANDLERS;
  }

  private static boolean timedOut(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT;
  }

  private Uni<Message<Object>> raw(String address, JsonObject body, Duration timeout) {
    return Uni.createFrom()
        .emitter(
            emitter -> {
              Context caller = VertxContext.getOrCreateDuplicatedContext(quarkusVertx);
              bus.eventBus()
                  .request(address, body, new DeliveryOptions().setSendTimeout(timeout.toMillis()))
                  .onComplete(
                      reply ->
                          caller.runOnContext(
                              ignored -> {
                                if (reply.succeeded()) {
                                  emitter.complete(reply.result());
                                } else {
                                  emitter.fail(reply.cause());
                                }
                              }));
            });
  }

  private static ApiException translate(Throwable failure) {
    if (!(failure instanceof ReplyException reply)) {
      LOG.log(Level.WARNING, "request to the pty-service failed", failure);
      return ApiException.unavailable("The pty-service could not be reached.");
    }
    return switch (reply.failureType()) {
      case NO_HANDLERS ->
          ApiException.unavailable("No pty-service is running; start it and try again.");
      case TIMEOUT ->
          ApiException.unavailable("The pty-service did not answer in time; try again.");
      default ->
          switch (reply.failureCode()) {
            case BusContract.FAILURE_INVALID -> ApiException.badRequest(reply.getMessage());
            case BusContract.FAILURE_CONFLICT -> ApiException.conflict(reply.getMessage());
            case BusContract.FAILURE_NOT_FOUND -> ApiException.notFound(reply.getMessage());
            // Reported like a missing thing, whose id the pty-service does not repeat, so that
            // ids cannot be probed.
            case BusContract.FAILURE_FORBIDDEN -> ApiException.notFound("Not found.");
            case BusContract.FAILURE_UNPROVEN -> {
              // The pty-service has another bus key: nothing works until an operator fixes it.
              LOG.severe(
                  "the pty-service refused the api-service's proof ("
                      + reply.getMessage()
                      + "); every service must use the same CCC_BUS_KEY_FILE");
              yield ApiException.unavailable(
                  "The pty-service does not accept this api-service; see the api-service's log.");
            }
            default -> ApiException.unavailable(reply.getMessage());
          };
    };
  }
}
