import { describe, expect, it } from 'vitest';
import type { TerminalActivity } from '../api/types';
import { channelsFor, sessionActivity, type Surroundings } from './notify';

const waiting: TerminalActivity = {
  sessionId: 's1',
  terminalId: 't1',
  profile: 'claude',
  activity: 'waiting',
  exitCode: null,
  change: true,
};
const everything = { inApp: true, desktop: true };
const hidden: Surroundings = { pageHidden: true, permission: 'granted', viewing: null };
const visible: Surroundings = { pageHidden: false, permission: 'granted', viewing: null };

describe('channelsFor', () => {
  it('tells of an agent that just started waiting: in the app, and by the browser while hidden', () => {
    expect(channelsFor(waiting, everything, hidden)).toEqual({ inApp: true, desktop: true });
    expect(channelsFor(waiting, everything, visible)).toEqual({ inApp: true, desktop: false });
  });

  it('is silent about other activities, and about one that already waited when the stream opened', () => {
    for (const activity of ['working', 'idle', 'exited'] as const) {
      expect(channelsFor({ ...waiting, activity }, everything, hidden)).toEqual({
        inApp: false,
        desktop: false,
      });
    }
    expect(channelsFor({ ...waiting, change: false }, everything, hidden)).toEqual({
      inApp: false,
      desktop: false,
    });
  });

  it('follows the settings, and the browser only with its permission', () => {
    expect(channelsFor(waiting, { inApp: false, desktop: true }, hidden)).toEqual({
      inApp: false,
      desktop: true,
    });
    expect(channelsFor(waiting, { inApp: true, desktop: false }, hidden)).toEqual({
      inApp: true,
      desktop: false,
    });
    for (const permission of ['default', 'denied', 'unsupported'] as const) {
      expect(channelsFor(waiting, everything, { ...hidden, permission }).desktop).toBe(false);
    }
  });

  it('puts no notice over the tab the user is looking at', () => {
    expect(channelsFor(waiting, everything, { ...visible, viewing: 't1' }).inApp).toBe(false);
    expect(channelsFor(waiting, everything, { ...visible, viewing: 't2' }).inApp).toBe(true);
    expect(channelsFor(waiting, everything, { ...hidden, viewing: 't1' })).toEqual({
      inApp: true,
      desktop: true,
    });
  });
});

describe('sessionActivity', () => {
  const of = (events: TerminalActivity[]) => new Map(events.map((e) => [e.terminalId, e]));

  it('shows the terminal that most needs the user, and an exit only when nothing runs', () => {
    const working = { ...waiting, terminalId: 't2', activity: 'working' as const };
    const exited = { ...waiting, terminalId: 't3', activity: 'exited' as const, exitCode: 3 };
    expect(sessionActivity(of([working, waiting, exited]), 's1')?.activity).toBe('waiting');
    expect(sessionActivity(of([exited, working]), 's1')?.activity).toBe('working');
    expect(sessionActivity(of([exited]), 's1')).toEqual(exited);
    expect(sessionActivity(of([waiting]), 'another session')).toBeNull();
  });
});
