package dev.ccc.api.web;

import java.time.Duration;
import java.util.Optional;

/**
 * An error with an HTTP status, turned into {@code application/problem+json} by {@link Problems}.
 */
public class ApiException extends RuntimeException {
  private final int status;
  private final String title;
  private final Duration retryAfter;

  public ApiException(int status, String title, String detail) {
    this(status, title, detail, null);
  }

  private ApiException(int status, String title, String detail, Duration retryAfter) {
    super(detail);
    this.status = status;
    this.title = title;
    this.retryAfter = retryAfter;
  }

  public static ApiException unauthorized(String detail) {
    return new ApiException(401, "Unauthorized", detail);
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(400, "Bad Request", detail);
  }

  public static ApiException tooManyRequests(String detail, Duration retryAfter) {
    return new ApiException(429, "Too Many Requests", detail, retryAfter);
  }

  public static ApiException unavailable(String detail) {
    return new ApiException(503, "Service Unavailable", detail);
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** When the client may try again, for a {@code Retry-After} header; empty if not applicable. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
