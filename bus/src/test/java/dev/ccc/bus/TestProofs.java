package dev.ccc.bus;

import io.vertx.core.json.JsonObject;

/**
 * For the services' tests: a proof on any fields at all, as a service holding the key could make
 * it, so that they can check what happens to a malformed message that a service did sign. The
 * contract's own codecs make only well-formed ones.
 */
public final class TestProofs {
  private TestProofs() {}

  /** {@code fields} with the time and a proof under {@code key} for {@code address}. */
  public static JsonObject sign(BusKey key, String address, JsonObject fields) {
    return BusProof.sign(key, address, fields);
  }
}
