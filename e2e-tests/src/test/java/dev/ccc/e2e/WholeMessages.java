package dev.ccc.e2e;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Joins the parts in which {@code java.net.http.WebSocket} may hand over one binary message. Used
 * on the listener's thread only.
 */
public final class WholeMessages {
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

  /** The whole message once {@code last} is true, else null; copies only a message in parts. */
  public ByteBuffer accept(ByteBuffer data, boolean last) {
    if (last && partial.size() == 0) {
      return data;
    }
    byte[] part = new byte[data.remaining()];
    data.get(part);
    partial.writeBytes(part);
    if (!last) {
      return null;
    }
    ByteBuffer whole = ByteBuffer.wrap(partial.toByteArray());
    partial.reset();
    return whole;
  }
}
