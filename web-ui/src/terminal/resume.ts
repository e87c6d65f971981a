/**
 * The part of an output chunk not yet written to the screen. `written` is the offset just past
 * the last byte already shown; a replay after a reconnect may start earlier, and those bytes must
 * not be shown twice.
 */
export function unseenBytes(written: number, offset: number, data: Uint8Array): Uint8Array {
  const alreadyShown = Math.min(Math.max(written - offset, 0), data.length);
  return data.subarray(alreadyShown);
}
