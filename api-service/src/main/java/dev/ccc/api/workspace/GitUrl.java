package dev.ccc.api.workspace;

import static java.lang.annotation.ElementType.ANNOTATION_TYPE;
import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.InvalidMessage;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.net.URI;
import java.util.Locale;

/**
 * A repository URL a workspace may be cloned from: what the bus accepts as a clone URL (absolute,
 * no credentials, no whitespace or control characters, bounded length), and in addition {@code
 * https://} with a host. Null is valid: the workspace is then created empty.
 */
@Documented
@Constraint(validatedBy = GitUrl.Validator.class)
@Target({FIELD, METHOD, PARAMETER, ANNOTATION_TYPE})
@Retention(RUNTIME)
public @interface GitUrl {
  String message() default "must be an https:// URL without credentials or spaces";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  /** Checks {@link GitUrl}. */
  final class Validator implements ConstraintValidator<GitUrl, String> {
    @Override
    public boolean isValid(String url, ConstraintValidatorContext context) {
      if (url == null) {
        return true;
      }
      try {
        BusContract.requireCloneUrl(url);
      } catch (InvalidMessage e) {
        return false;
      }
      // Parses: the bus contract's check did.
      URI uri = URI.create(url);
      return "https".equals(uri.getScheme().toLowerCase(Locale.ROOT))
          && uri.getRawAuthority() != null;
    }
  }
}
