import type { NotificationSettings, TerminalActivity } from '../api/types';

/** What the page knows about where the user is looking. */
export interface Surroundings {
  /** The page is hidden: another browser tab, a minimised window, a locked phone. */
  pageHidden: boolean;
  /** Whether the browser may show notifications; `unsupported` where it has none. */
  permission: NotificationPermission | 'unsupported';
  /** The terminal the page shows, if any. */
  viewing: string | null;
}

/** Where to tell the user about an event. */
export interface Channels {
  inApp: boolean;
  desktop: boolean;
}

/**
 * How to tell the user about `event`: only a terminal that has just started waiting for them is
 * worth it (not one that already waited when the stream opened), each way only if they want it;
 * the browser's notification only while the page is hidden, where a notice in it would go unseen,
 * and a notice in the app not for the terminal they are looking at.
 */
export function channelsFor(
  event: TerminalActivity,
  settings: NotificationSettings,
  surroundings: Surroundings,
): Channels {
  const calls = event.change && event.activity === 'waiting';
  const inSight = !surroundings.pageHidden && surroundings.viewing === event.terminalId;
  return {
    inApp: calls && settings.inApp && !inSight,
    desktop:
      calls && settings.desktop && surroundings.pageHidden && surroundings.permission === 'granted',
  };
}

/**
 * A session's state at a glance, from its terminals': the one that most needs the user (waiting,
 * then working, then idle), or, when none runs, how one exited; null when nothing is known.
 */
export function sessionActivity(
  byTerminal: ReadonlyMap<string, TerminalActivity>,
  sessionId: string,
): TerminalActivity | null {
  const own = [...byTerminal.values()].filter((event) => event.sessionId === sessionId);
  for (const activity of ['waiting', 'working', 'idle', 'exited'] as const) {
    const found = own.reverse().find((event) => event.activity === activity);
    if (found !== undefined) return found;
  }
  return null;
}
