package dev.ccc.api.session;

import dev.ccc.api.bus.PtyClient;
import dev.ccc.bus.BusContract.ProfileInfo;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.List;

/**
 * What a session's terminals can run, as the pty-services announce it: the profiles a new session
 * or tab may name, with the API keys each takes.
 */
@Path("/api/profiles")
@Authenticated
public class ProfileResource {
  private final PtyClient pty;

  ProfileResource(PtyClient pty) {
    this.pty = pty;
  }

  @GET
  public Uni<List<ProfileInfo>> list() {
    return pty.profiles().map(list -> list.profiles());
  }
}
