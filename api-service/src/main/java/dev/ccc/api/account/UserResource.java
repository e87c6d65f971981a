package dev.ccc.api.account;

import dev.ccc.api.auth.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;

/**
 * User management, for administrators only. Every change needs a login, not a personal access token
 * ({@link Caller#requireLogin}): a leaked admin token must not create an account, promote one or
 * set a password. Reading the accounts is allowed to scripts.
 */
@Path("/api/users")
@RolesAllowed(Caller.ADMIN)
public class UserResource {
  static final int MIN_PASSWORD = 10;
  private static final String ROLE = "admin|user";

  /** A new account. */
  public record NewUser(
      @NotNull
          @Pattern(
              regexp = "[a-z0-9][a-z0-9._-]{0,63}",
              message = "must be 1-64 characters of a-z 0-9 . _ - starting with a letter or digit")
          String username,
      @Size(min = 1, max = 255) String displayName,
      @NotNull @Size(min = MIN_PASSWORD, max = 1024) String password,
      @NotNull @Pattern(regexp = ROLE, message = "must be admin or user") String role) {}

  /** What an admin may change; absent fields stay as they are. */
  public record UserChanges(
      @Size(min = 1, max = 255) String displayName,
      @Pattern(regexp = ROLE, message = "must be admin or user") String role,
      Boolean active) {}

  /** A password set by an admin. */
  public record PasswordReset(@NotNull @Size(min = MIN_PASSWORD, max = 1024) String newPassword) {}

  private final Accounts accounts;
  private final Caller caller;

  UserResource(Accounts accounts, Caller caller) {
    this.accounts = accounts;
    this.caller = caller;
  }

  @GET
  public Uni<List<UserView>> list() {
    return accounts.list().map(users -> users.stream().map(UserView::of).toList());
  }

  @POST
  public Uni<Response> create(@Valid @NotNull NewUser user) {
    caller.requireLogin();
    return accounts
        .create(caller, user.username(), user.displayName(), user.password(), role(user.role()))
        .map(created -> Response.status(201).entity(UserView.of(created)).build());
  }

  @GET
  @Path("/{id}")
  public Uni<UserView> get(@PathParam("id") String id) {
    return accounts.get(id).map(UserView::of);
  }

  @PATCH
  @Path("/{id}")
  public Uni<UserView> update(@PathParam("id") String id, @Valid @NotNull UserChanges changes) {
    caller.requireLogin();
    return accounts
        .update(
            caller,
            id,
            new Accounts.Changes(changes.displayName(), role(changes.role()), changes.active()))
        .map(UserView::of);
  }

  @POST
  @Path("/{id}/password")
  public Uni<Void> resetPassword(@PathParam("id") String id, @Valid @NotNull PasswordReset reset) {
    caller.requireLogin();
    return accounts.resetPassword(caller, id, reset.newPassword());
  }

  private static User.Role role(String role) {
    return role == null ? null : User.Role.valueOf(role.toUpperCase(Locale.ROOT));
  }
}
