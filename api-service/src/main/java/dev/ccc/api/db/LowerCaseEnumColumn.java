package dev.ccc.api.db;

import jakarta.persistence.AttributeConverter;
import java.util.Locale;

/**
 * Stores an enum as its constant's name in lower case, which is what the schema's columns and CHECK
 * constraints hold (e.g. {@code 'admin'}, {@code 'running'}). One subclass per enum names it for
 * Hibernate: {@code class StateColumn extends LowerCaseEnumColumn<State>}.
 */
public abstract class LowerCaseEnumColumn<E extends Enum<E>>
    implements AttributeConverter<E, String> {
  private final Class<E> type;

  protected LowerCaseEnumColumn(Class<E> type) {
    this.type = type;
  }

  @Override
  public String convertToDatabaseColumn(E value) {
    return value == null ? null : value.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public E convertToEntityAttribute(String column) {
    return column == null ? null : Enum.valueOf(type, column.toUpperCase(Locale.ROOT));
  }
}
