package dev.ccc.api.db;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.time.Instant;

/**
 * Stores every {@link Instant} as UTC milliseconds since the epoch in a BIGINT column, in every
 * database: SQLite has no timestamp type, and an {@code Instant} written as text through the JDBC
 * bridge does not read back. Sub-millisecond precision is dropped.
 */
@Converter(autoApply = true)
public final class EpochMillis implements AttributeConverter<Instant, Long> {

  @Override
  public Long convertToDatabaseColumn(Instant instant) {
    return instant == null ? null : instant.toEpochMilli();
  }

  @Override
  public Instant convertToEntityAttribute(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis);
  }
}
