package dev.ccc.api.auth;

import dev.ccc.api.ApiConfig;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
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

  /** Claim naming the credential a token derives from: the login, or a personal access token. */
  static final String LOGIN_CLAIM = "sid";

  private final ApiConfig config;
  private final SigningKeys keys;

  TokenIssuer(ApiConfig config, SigningKeys keys) {
    this.config = config;
    this.keys = keys;
  }

  /**
   * A bearer token for {@code userId} within {@code loginId}. It carries no roles: those are read
   * from the account on every request, so a changed role applies at once.
   */
  String accessToken(String userId, String loginId) {
    return Jwt.issuer(config.jwt().issuer())
        .subject(userId)
        .upn(userId)
        .claim(LOGIN_CLAIM, loginId)
        .audience(API_AUDIENCE)
        .expiresIn(config.jwt().accessTokenLifetime())
        .claim("jti", UUID.randomUUID().toString())
        .sign(keys.privateKey());
  }

  /**
   * A ticket that lets {@code userId} open one WebSocket in the next 30 seconds; the gateway closes
   * the socket when {@code credentialId} is revoked.
   */
  String webSocketTicket(String userId, String credentialId) {
    return Jwt.issuer(config.jwt().issuer())
        .subject(userId)
        .claim(LOGIN_CLAIM, credentialId)
        .audience(GATEWAY_AUDIENCE)
        .expiresIn(TICKET_LIFETIME)
        .claim("jti", UUID.randomUUID().toString())
        .sign(keys.privateKey());
  }
}
