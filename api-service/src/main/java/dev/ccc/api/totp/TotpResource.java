package dev.ccc.api.totp;

import dev.ccc.api.auth.Caller;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.util.List;

/** The caller's two-factor login: enrol, confirm, disable. */
@Path("/api/me/totp")
@Authenticated
public class TotpResource {

  /** A code from the authenticator app. */
  public record ConfirmRequest(@NotBlank @Size(max = 16) String code) {}

  /** The one-time backup codes; shown only in this answer. */
  public record BackupCodes(List<String> backupCodes) {}

  /** Proof that the caller may turn two-factor login off. */
  public record DisableRequest(
      @NotNull @Size(max = 1024) String password, @NotBlank @Size(max = 16) String code) {}

  private final TwoFactor twoFactor;
  private final Caller caller;

  TotpResource(TwoFactor twoFactor, Caller caller) {
    this.twoFactor = twoFactor;
    this.caller = caller;
  }

  @POST
  public Uni<TwoFactor.Enrolment> enroll() {
    caller.requireLogin();
    return twoFactor.enroll(caller);
  }

  @POST
  @Path("/confirm")
  public Uni<BackupCodes> confirm(@Valid @NotNull ConfirmRequest request) {
    caller.requireLogin();
    return twoFactor.confirm(caller, request.code()).map(BackupCodes::new);
  }

  @POST
  @Path("/disable")
  public Uni<Void> disable(@Valid @NotNull DisableRequest request) {
    caller.requireLogin();
    return twoFactor.disable(caller, request.password(), request.code());
  }
}
