package dev.ccc.api.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error leaves the API as {@code application/problem+json} (RFC 9457) with the same shape:
 * {@code type}, {@code title}, {@code status}, {@code detail}, and {@code errors} for field-level
 * validation failures.
 */
public class Problems {
  private static final Logger LOG = Logger.getLogger(Problems.class.getName());
  static final String MEDIA_TYPE = "application/problem+json";
  static final String BLANK_TYPE = "about:blank";
  static final String INVALID_FIELDS = "The request has invalid fields.";

  /** The body of every error response. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Problem(
      String type, String title, int status, String detail, List<FieldError> errors) {}

  /** One invalid field: where it is and what is wrong with it. */
  public record FieldError(String field, String message) {}

  private static Response response(
      String type, int status, String title, String detail, List<FieldError> errors) {
    return Response.status(status)
        .type(MEDIA_TYPE)
        .entity(new Problem(type, title, status, detail, errors))
        .build();
  }

  @ServerExceptionMapper
  public Response api(ApiException e) {
    Response response = response(e.type(), e.status(), e.title(), e.getMessage(), e.errors());
    return e.retryAfter()
        .map(
            wait ->
                Response.fromResponse(response)
                    .header("Retry-After", Math.max(1, wait.toSeconds()))
                    .build())
        .orElse(response);
  }

  @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
  public Response unauthorized(RuntimeException e) {
    return response(BLANK_TYPE, 401, "Unauthorized", "Log in, or send a valid bearer token.", null);
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e) {
    return response(BLANK_TYPE, 403, "Forbidden", "You may not do this.", null);
  }

  @ServerExceptionMapper
  public Response invalid(ConstraintViolationException e) {
    List<FieldError> errors =
        e.getConstraintViolations().stream()
            .map(
                violation -> {
                  String path = violation.getPropertyPath().toString();
                  return new FieldError(
                      path.substring(path.lastIndexOf('.') + 1), violation.getMessage());
                })
            .sorted(java.util.Comparator.comparing(FieldError::field))
            .toList();
    return response(BLANK_TYPE, 400, "Bad Request", INVALID_FIELDS, errors);
  }

  /**
   * A body that is JSON but not of the request's shape: a field it does not have (requests accept
   * only the fields they document), or a value of the wrong type. Named like a failed validation.
   */
  @ServerExceptionMapper
  public Response mismatched(MismatchedInputException e) {
    List<JsonMappingException.Reference> path = e.getPath();
    if (path.isEmpty() || path.get(path.size() - 1).getFieldName() == null) {
      return response(
          BLANK_TYPE,
          400,
          "Bad Request",
          "The request body does not have the expected shape.",
          null);
    }
    String field = path.get(path.size() - 1).getFieldName();
    String message =
        e instanceof UnrecognizedPropertyException
            ? "is not a field of this request"
            : "has the wrong type";
    return response(
        BLANK_TYPE, 400, "Bad Request", INVALID_FIELDS, List.of(new FieldError(field, message)));
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    String title =
        Response.Status.fromStatusCode(status) == null
            ? "Error"
            : Response.Status.fromStatusCode(status).getReasonPhrase();
    String detail =
        status == 400 ? "The request body is missing or not valid JSON." : e.getMessage();
    return response(BLANK_TYPE, status, title, detail, null);
  }

  @ServerExceptionMapper
  public Response unexpected(Exception e) {
    LOG.log(Level.SEVERE, "unexpected failure", e);
    return response(
        BLANK_TYPE, 500, "Internal Server Error", "Something went wrong on the server.", null);
  }
}
