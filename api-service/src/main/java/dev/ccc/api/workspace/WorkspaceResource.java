package dev.ccc.api.workspace;

import dev.ccc.api.auth.Caller;
import dev.ccc.bus.BusContract;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.net.URI;
import java.util.List;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The caller's workspaces (docs/api.md, "Workspaces"); the rules are in {@link WorkspaceService}.
 */
@Path("/api/workspaces")
@Authenticated
public class WorkspaceResource {

  /** A workspace to create; empty unless {@code gitUrl} is given. */
  public record NewWorkspace(
      @NotBlank @Size(max = 100) String name,
      @Pattern(
              regexp = "[a-z0-9][a-z0-9-]{0," + (Workspace.MAX_SLUG - 1) + "}",
              message = "must be 1-63 characters of a-z 0-9 -, starting with a letter or digit")
          String slug,
      @Size(max = 2000) String description,
      @GitUrl String gitUrl,
      @Pattern(regexp = BusContract.BRANCH_PATTERN, message = "must be a plain git branch name")
          String branch) {}

  /** The fields a workspace may change; absent ones stay as they are. */
  public record WorkspaceChanges(
      @Size(min = 1, max = 100) @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank")
          String name,
      @Size(max = 2000) String description) {}

  private final WorkspaceService workspaces;
  private final Caller caller;

  WorkspaceResource(WorkspaceService workspaces, Caller caller) {
    this.workspaces = workspaces;
    this.caller = caller;
  }

  @GET
  public Uni<List<WorkspaceView>> list(@RestQuery boolean all) {
    return workspaces
        .list(caller, all)
        .map(found -> found.stream().map(WorkspaceView::of).toList());
  }

  @POST
  public Uni<RestResponse<WorkspaceView>> create(@Valid @NotNull NewWorkspace request) {
    return workspaces
        .create(
            caller,
            request.name(),
            request.slug(),
            request.description(),
            request.gitUrl(),
            request.branch())
        .map(
            created ->
                RestResponse.ResponseBuilder.<WorkspaceView>created(
                        URI.create("/api/workspaces/" + created.getId()))
                    .entity(WorkspaceView.of(created))
                    .build());
  }

  @GET
  @Path("/{id}")
  public Uni<WorkspaceView> get(@RestPath String id) {
    return workspaces.get(caller, id).map(WorkspaceView::of);
  }

  @PATCH
  @Path("/{id}")
  public Uni<WorkspaceView> update(@RestPath String id, @Valid @NotNull WorkspaceChanges changes) {
    return workspaces
        .update(caller, id, changes.name(), changes.description())
        .map(WorkspaceView::of);
  }

  /** Clones a workspace whose clone failed once more; {@code 409} for any other workspace. */
  @POST
  @Path("/{id}/retry")
  public Uni<WorkspaceView> retry(@RestPath String id) {
    return workspaces.retryClone(caller, id).map(WorkspaceView::of);
  }

  @DELETE
  @Path("/{id}")
  public Uni<Void> delete(@RestPath String id) {
    return workspaces.delete(caller, id);
  }
}
