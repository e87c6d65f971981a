package dev.ccc.api.auth;

import dev.ccc.api.ApiConfig;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/**
 * Signs the two kinds of token: access tokens for the REST API (audience {@value #API_AUDIENCE})
 * and single-use WebSocket tickets for the gateway (audience {@value #GATEWAY_AUDIENCE}). The
 * audiences keep one from being used as the other.
 */
@ApplicationScoped
public class TokenIssuer {
  static final String API_AUDIENCE = "ccc-api";
  static final String GATEWAY_AUDIENCE = "ccc-gateway";
  static final Duration TICKET_LIFETIME = Duration.ofSeconds(30);

  private final ApiConfig config;
  private final SigningKeys keys;

  TokenIssuer(ApiConfig config, SigningKeys keys) {
    this.config = config;
    this.keys = keys;
  }

  /** A bearer token for {@code userId} with the given roles. */
  String accessToken(String userId, Set<String> roles) {
    return Jwt.issuer(config.jwt().issuer())
        .subject(userId)
        .upn(userId)
        .groups(roles)
        .audience(API_AUDIENCE)
        .expiresIn(config.jwt().accessTokenLifetime())
        .claim("jti", UUID.randomUUID().toString())
        .sign(keys.privateKey());
  }

  /** A ticket that lets {@code userId} open one WebSocket in the next 30 seconds. */
  String webSocketTicket(String userId) {
    return Jwt.issuer(config.jwt().issuer())
        .subject(userId)
        .audience(GATEWAY_AUDIENCE)
        .expiresIn(TICKET_LIFETIME)
        .claim("jti", UUID.randomUUID().toString())
        .sign(keys.privateKey());
  }
}
