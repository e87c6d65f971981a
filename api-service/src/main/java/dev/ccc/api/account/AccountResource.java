package dev.ccc.api.account;

import dev.ccc.api.auth.Caller;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** The caller's own account. */
@Path("/api/me")
@Authenticated
public class AccountResource {

  /** The fields a user may change about themselves. */
  public record OwnChanges(@Size(min = 1, max = 255) String displayName) {}

  /** A password change; the current password proves it is the account's owner at the keyboard. */
  public record PasswordChange(
      @NotNull @Size(max = 1024) String currentPassword,
      @NotNull @Size(min = UserResource.MIN_PASSWORD, max = 1024) String newPassword) {}

  private final Accounts accounts;
  private final Caller caller;

  AccountResource(Accounts accounts, Caller caller) {
    this.accounts = accounts;
    this.caller = caller;
  }

  @GET
  public Uni<UserView> me() {
    return accounts.get(caller.userId()).map(UserView::of);
  }

  @PATCH
  public Uni<UserView> update(@Valid @NotNull OwnChanges changes) {
    return accounts.updateOwn(caller, changes.displayName()).map(UserView::of);
  }

  @POST
  @Path("/password")
  public Uni<Void> changePassword(@Valid @NotNull PasswordChange change) {
    caller.requireLogin();
    return accounts.changeOwnPassword(caller, change.currentPassword(), change.newPassword());
  }
}
