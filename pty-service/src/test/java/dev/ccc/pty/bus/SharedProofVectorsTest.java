package dev.ccc.pty.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.WorkspaceFolder;
import dev.ccc.bus.ProofVectors;
import dev.ccc.pty.terminal.TerminalRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pty-service against the bus module's shared proof vectors: under the vectors' key, at their
 * time, it takes their messages as a service made them, and refuses them changed.
 */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class SharedProofVectorsTest {
  @TempDir Path data;

  @Test
  void theVectorsMessagesAreTakenAsTheyAreAndRefusedChanged(Vertx vertx) throws Exception {
    TerminalRegistry registry =
        LocalBus.deployPtyService(vertx, data, Set.of("https"), ProofVectors.key());
    try {
      LocalBus bus = new LocalBus(vertx);
      JsonObject create = ProofVectors.json("create-workspace");
      JsonObject status = ProofVectors.json("workspace-status");
      String workspace = create.getJsonObject("message").getString("workspace");

      bus.call(create.getString("address"), create.getJsonObject("message"));

      assertTrue(Files.isDirectory(data.resolve("workspaces/alice").resolve(workspace)));
      Object folder = bus.call(status.getString("address"), status.getJsonObject("message"));
      assertEquals(WorkspaceFolder.Presence.READY, WorkspaceFolder.parse(folder).presence());
      bus.assertFailure(
          BusContract.FAILURE_UNPROVEN,
          status.getString("address"),
          status.getJsonObject("message").copy().put("owner", "bob"));
    } finally {
      registry.closeAll();
    }
  }
}
