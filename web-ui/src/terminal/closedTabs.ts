/**
 * The tabs of a session the user closed after their process ended. The server may go on listing
 * such a terminal, so the browser remembers not to show it again after a reload.
 */
const keyFor = (sessionId: string) => `ccc.closedTabs.${sessionId}`;

export function loadClosedTabs(sessionId: string): ReadonlySet<string> {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(keyFor(sessionId)) ?? '[]');
    return new Set(Array.isArray(stored) ? stored.filter((id) => typeof id === 'string') : []);
  } catch {
    return new Set();
  }
}

/** Saves `closed`, keeping only terminals the session still lists so the entry cannot grow. */
export function saveClosedTabs(sessionId: string, closed: ReadonlySet<string>, listed: string[]) {
  const kept = listed.filter((id) => closed.has(id));
  if (kept.length === 0) localStorage.removeItem(keyFor(sessionId));
  else localStorage.setItem(keyFor(sessionId), JSON.stringify(kept));
}
