package dev.ccc.pty.terminal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutputBufferTest {

  private static long append(OutputBuffer buffer, String text) {
    byte[] bytes = text.getBytes(US_ASCII);
    return buffer.append(bytes, 0, bytes.length);
  }

  private static String text(OutputBuffer.Slice slice) {
    return new String(slice.bytes(), US_ASCII);
  }

  @Test
  void appendsGetContiguousOffsetsFromZero() {
    OutputBuffer buffer = new OutputBuffer(16);
    assertEquals(0, append(buffer, "abc"));
    assertEquals(3, append(buffer, "defg"));
    assertEquals(7, buffer.endOffset());
    assertEquals(0, buffer.startOffset());
    assertEquals("abcdefg", text(buffer.since(0, Integer.MAX_VALUE)));
  }

  @Test
  void keepsOnlyTheLastCapacityBytesAcrossWraparound() {
    OutputBuffer buffer = new OutputBuffer(8);
    append(buffer, "012345");
    append(buffer, "6789ab");
    assertEquals(12, buffer.endOffset());
    assertEquals(4, buffer.startOffset());
    OutputBuffer.Slice all = buffer.since(4, Integer.MAX_VALUE);
    assertEquals(4, all.start());
    assertEquals("456789ab", text(all));
    assertEquals(12, all.end());
  }

  @Test
  void sinceAMidOffsetReturnsExactlyTheRest() {
    OutputBuffer buffer = new OutputBuffer(8);
    append(buffer, "0123456789");
    OutputBuffer.Slice rest = buffer.since(7, Integer.MAX_VALUE);
    assertEquals(7, rest.start());
    assertEquals("789", text(rest));
  }

  @Test
  void sinceBeforeTheOldestByteStartsAtTheOldestByte() {
    OutputBuffer buffer = new OutputBuffer(4);
    append(buffer, "abcdefghij");
    OutputBuffer.Slice slice = buffer.since(0, Integer.MAX_VALUE);
    assertEquals(6, slice.start());
    assertEquals("ghij", text(slice));
  }

  @Test
  void sinceTheEndOrLaterIsEmptyAtTheEnd() {
    OutputBuffer buffer = new OutputBuffer(4);
    append(buffer, "abc");
    assertEquals(3, buffer.since(3, Integer.MAX_VALUE).start());
    assertEquals(0, buffer.since(3, Integer.MAX_VALUE).bytes().length);
    assertEquals(3, buffer.since(99, Integer.MAX_VALUE).start());
    assertEquals(0, buffer.since(99, Integer.MAX_VALUE).bytes().length);
  }

  @Test
  void aChunkLargerThanTheBufferKeepsItsTail() {
    OutputBuffer buffer = new OutputBuffer(4);
    append(buffer, "xy");
    byte[] chunk = "0123456789".getBytes(US_ASCII);
    assertEquals(2, buffer.append(chunk, 1, 8));
    assertEquals(10, buffer.endOffset());
    assertArrayEquals("5678".getBytes(US_ASCII), buffer.since(0, Integer.MAX_VALUE).bytes());
  }

  @Test
  void manySmallAppendsWrapAroundManyTimes() {
    OutputBuffer buffer = new OutputBuffer(7);
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      String piece = Integer.toString(i);
      append(buffer, piece);
      all.append(piece);
    }
    String expected = all.substring(all.length() - 7);
    assertEquals(expected, text(buffer.since(0, Integer.MAX_VALUE)));
    assertEquals(all.length(), buffer.endOffset());
    assertEquals(expected.substring(3), text(buffer.since(all.length() - 4, Integer.MAX_VALUE)));
  }

  @Test
  void growingFromSmallKeepsEveryByteAtItsOffsetThenWrapsAtCapacity() {
    int capacity = 100_000;
    OutputBuffer buffer = new OutputBuffer(capacity);
    Random random = new Random(42);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    while (all.size() < 3 * capacity) {
      byte[] chunk = new byte[1 + random.nextInt(9_000)];
      random.nextBytes(chunk);
      assertEquals(all.size(), buffer.append(chunk, 0, chunk.length));
      all.writeBytes(chunk);
      byte[] everything = all.toByteArray();
      int kept = Math.min(everything.length, capacity);
      assertArrayEquals(
          Arrays.copyOfRange(everything, everything.length - kept, everything.length),
          buffer.since(0, Integer.MAX_VALUE).bytes());
    }
  }
}
