package dev.ccc.api.terminal;

import dev.ccc.api.auth.Caller;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionStage;

/** Opens terminals for the caller. Sessions and tabs build on this in the sessions issue. */
@Path("/api/terminals")
@Authenticated
public class TerminalResource {

  /** Initial size of the terminal; both optional. */
  public record OpenRequest(@Min(1) @Max(1000) Integer cols, @Min(1) @Max(1000) Integer rows) {}

  /** The opened terminal. */
  public record OpenedTerminal(String id, String profile) {}

  private final TerminalService terminals;
  private final Caller caller;

  TerminalResource(TerminalService terminals, Caller caller) {
    this.terminals = terminals;
    this.caller = caller;
  }

  @POST
  public CompletionStage<Response> open(@Valid OpenRequest request) {
    int cols = request == null || request.cols() == null ? 80 : request.cols();
    int rows = request == null || request.rows() == null ? 24 : request.rows();
    return terminals
        .openShell(caller.userId(), cols, rows)
        .thenApply(
            id ->
                Response.status(201).entity(new OpenedTerminal(id, TerminalService.SHELL)).build());
  }
}
