package dev.ccc.api.web;

import dev.ccc.api.web.Problems.FieldError;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An error with an HTTP status, turned into {@code application/problem+json} by {@link Problems}.
 * Most carry the problem type {@code about:blank}; the few a client must tell apart from others
 * with the same status carry one of the {@code urn:ccc:problem:…} types documented in docs/api.md.
 */
public class ApiException extends RuntimeException {
  /** Login needs a two-factor code (401). */
  public static final String TOTP_REQUIRED = "urn:ccc:problem:totp-required";

  /** A per-user quota is reached (409). */
  public static final String QUOTA_EXCEEDED = "urn:ccc:problem:quota-exceeded";

  private final int status;
  private final String type;
  private final String title;
  private final Duration retryAfter;
  private final List<FieldError> errors;

  private ApiException(
      int status,
      String type,
      String title,
      String detail,
      Duration retryAfter,
      List<FieldError> errors) {
    super(detail);
    this.status = status;
    this.type = type;
    this.title = title;
    this.retryAfter = retryAfter;
    this.errors = errors;
  }

  private ApiException(int status, String type, String title, String detail, Duration retryAfter) {
    this(status, type, title, detail, retryAfter, null);
  }

  private static ApiException plain(int status, String title, String detail) {
    return new ApiException(status, Problems.BLANK_TYPE, title, detail, null);
  }

  public static ApiException badRequest(String detail) {
    return plain(400, "Bad Request", detail);
  }

  /**
   * A field that is invalid only together with others, or against stored data, so that a constraint
   * on the request body cannot tell: a 400 shaped like a failed bean validation.
   */
  public static ApiException invalidField(String field, String message) {
    return new ApiException(
        400,
        Problems.BLANK_TYPE,
        "Bad Request",
        Problems.INVALID_FIELDS,
        null,
        List.of(new FieldError(field, message)));
  }

  public static ApiException unauthorized(String detail) {
    return plain(401, "Unauthorized", detail);
  }

  public static ApiException totpRequired() {
    return new ApiException(
        401,
        TOTP_REQUIRED,
        "Two-factor code required",
        "Enter the code from your authenticator app, or a backup code.",
        null);
  }

  public static ApiException forbidden(String detail) {
    return plain(403, "Forbidden", detail);
  }

  public static ApiException notFound(String detail) {
    return plain(404, "Not Found", detail);
  }

  public static ApiException conflict(String detail) {
    return plain(409, "Conflict", detail);
  }

  public static ApiException quotaExceeded(String detail) {
    return new ApiException(409, QUOTA_EXCEEDED, "Quota exceeded", detail, null);
  }

  public static ApiException tooManyRequests(String detail, Duration retryAfter) {
    return new ApiException(429, Problems.BLANK_TYPE, "Too Many Requests", detail, retryAfter);
  }

  public static ApiException unavailable(String detail) {
    return plain(503, "Service Unavailable", detail);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String title() {
    return title;
  }

  /** The invalid fields of a 400, or null. */
  public List<FieldError> errors() {
    return errors;
  }

  /** When the client may try again, for a {@code Retry-After} header; empty if not applicable. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
