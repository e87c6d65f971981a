package dev.ccc.bus;

import java.util.function.Function;

/**
 * How every service reads its environment, so that one rule holds for all of them: a variable that
 * is unset or blank takes its default (compose files pass unset variables as empty strings), and
 * values are trimmed.
 */
public final class Settings {
  private Settings() {}

  /** The trimmed value of {@code name}, or {@code fallback} (may be null) when unset or blank. */
  public static String read(Function<String, String> lookup, String name, String fallback) {
    String value = lookup.apply(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }
}
