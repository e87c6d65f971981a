package dev.ccc.api.web;

import dev.ccc.api.ApiConfig;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** What the browser needs before logging in: where the gateway is. Holds nothing secret. */
@Path("/api/client-config")
public class ClientConfigResource {

  /** Client configuration. */
  public record ClientConfig(String gatewayUrl) {}

  private final ApiConfig config;

  ClientConfigResource(ApiConfig config) {
    this.config = config;
  }

  @GET
  @PermitAll
  public ClientConfig get() {
    return new ClientConfig(config.gateway().publicUrl());
  }
}
