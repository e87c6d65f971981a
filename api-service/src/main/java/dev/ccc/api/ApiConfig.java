package dev.ccc.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The api-service's own settings; each key can be set from the environment ({@code CCC_…}). */
@ConfigMapping(prefix = "ccc")
public interface ApiConfig {

  /** Where the api-service keeps its state ({@code CCC_DATA_DIR}). */
  Path dataDir();

  Jwt jwt();

  Admin admin();

  Gateway gateway();

  interface Jwt {
    /**
     * Folder holding {@code jwt-private.pem} and {@code jwt-public.pem} ({@code CCC_JWT_KEY_DIR}).
     */
    Path keyDir();

    /** {@code iss} of every token; the gateway checks it too ({@code CCC_JWT_ISSUER}). */
    String issuer();

    /** How long an access token is valid ({@code CCC_JWT_ACCESS_TOKEN_LIFETIME}). */
    Duration accessTokenLifetime();

    /**
     * How long a refresh token is valid; each use replaces it with a new one ({@code
     * CCC_JWT_REFRESH_TOKEN_LIFETIME}).
     */
    @WithDefault("P30D")
    Duration refreshTokenLifetime();
  }

  interface Admin {
    /** The bootstrap administrator's user name ({@code CCC_ADMIN_USERNAME}). */
    String username();

    /**
     * Its password ({@code CCC_ADMIN_PASSWORD}); when absent, one is generated on first start and
     * written once to {@code <data-dir>/initial-admin-password}.
     */
    Optional<String> password();
  }

  interface Gateway {
    /**
     * WebSocket URL of the ws-gateway as the browser reaches it; {@code {hostname}} stands for the
     * page's host ({@code CCC_GATEWAY_PUBLIC_URL}).
     */
    @WithDefault("ws://{hostname}:8081/ws")
    String publicUrl();
  }
}
