import type { NotificationSettings, TerminalActivity } from '../api/types';
import { channelsFor, type Surroundings } from './notify';

/** A notice in the app that a terminal waits for its user. */
export interface Notice {
  id: number;
  sessionId: string;
  terminalId: string;
  sessionName: string;
}

export interface ActivitySnapshot {
  byTerminal: ReadonlyMap<string, TerminalActivity>;
  notices: readonly Notice[];
}

export interface ActivityStoreOptions {
  surroundings: () => Surroundings;
  /** The session's name for a notification; its id will do when it cannot be had. */
  sessionName: (sessionId: string) => Promise<string>;
  /** Shows the browser's own notification. */
  showDesktop: (notice: Notice) => void;
}

/** Most notices shown at once; older ones give way. */
const MAX_NOTICES = 5;

/**
 * What the user's terminals are doing, as the activity stream tells, and the notices it raised:
 * an external store for React (useSyncExternalStore), with no network or DOM of its own.
 */
export class ActivityStore {
  private snapshot: ActivitySnapshot = { byTerminal: new Map(), notices: [] };
  private readonly listeners = new Set<() => void>();
  private settings: NotificationSettings = { inApp: true, desktop: true };
  private nextNotice = 1;

  constructor(private readonly options: ActivityStoreOptions) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): ActivitySnapshot => this.snapshot;

  setSettings(settings: NotificationSettings): void {
    this.settings = settings;
  }

  getSettings(): NotificationSettings {
    return this.settings;
  }

  /** A stream opened: what the last one told may be stale, its events follow. */
  reset(): void {
    this.update({ byTerminal: new Map(), notices: this.snapshot.notices });
  }

  /** The user logged out: nothing of theirs may stay for the next one. */
  clear(): void {
    this.settings = { inApp: true, desktop: true };
    this.update({ byTerminal: new Map(), notices: [] });
  }

  /** One event of the stream. */
  async apply(event: TerminalActivity): Promise<void> {
    const byTerminal = new Map(this.snapshot.byTerminal);
    byTerminal.set(event.terminalId, event);
    // A terminal that no longer waits needs no notice: its user answered, here or elsewhere.
    const notices =
      event.activity === 'waiting'
        ? this.snapshot.notices
        : this.snapshot.notices.filter((shown) => shown.terminalId !== event.terminalId);
    this.update({ byTerminal, notices });
    const channels = channelsFor(event, this.settings, this.options.surroundings());
    if (!channels.inApp && !channels.desktop) return;
    const notice: Notice = {
      id: this.nextNotice++,
      sessionId: event.sessionId,
      terminalId: event.terminalId,
      sessionName: await this.options.sessionName(event.sessionId).catch(() => event.sessionId),
    };
    if (channels.desktop) this.options.showDesktop(notice);
    if (channels.inApp) {
      const notices = [
        ...this.snapshot.notices.filter((shown) => shown.terminalId !== event.terminalId),
        notice,
      ].slice(-MAX_NOTICES);
      this.update({ ...this.snapshot, notices });
    }
  }

  dismiss(noticeId: number): void {
    this.update({
      ...this.snapshot,
      notices: this.snapshot.notices.filter((notice) => notice.id !== noticeId),
    });
  }

  private update(snapshot: ActivitySnapshot): void {
    this.snapshot = snapshot;
    this.listeners.forEach((listener) => {
      listener();
    });
  }
}
