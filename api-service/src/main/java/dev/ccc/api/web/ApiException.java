package dev.ccc.api.web;

/**
 * An error with an HTTP status, turned into {@code application/problem+json} by {@link Problems}.
 */
public class ApiException extends RuntimeException {
  private final int status;
  private final String title;

  public ApiException(int status, String title, String detail) {
    super(detail);
    this.status = status;
    this.title = title;
  }

  public static ApiException unauthorized(String detail) {
    return new ApiException(401, "Unauthorized", detail);
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(400, "Bad Request", detail);
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
}
