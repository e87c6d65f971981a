import { expect, it } from 'vitest';
import type { TerminalActivity } from '../api/types';
import { ActivityStore, type Notice } from './ActivityStore';
import type { Surroundings } from './notify';

const event = (activity: TerminalActivity['activity'], change = true): TerminalActivity => ({
  sessionId: 's1',
  terminalId: 't1',
  profile: 'claude',
  activity,
  exitCode: activity === 'exited' ? 0 : null,
  change,
});

function store(surroundings: Surroundings) {
  const desktop: Notice[] = [];
  const activity = new ActivityStore({
    surroundings: () => surroundings,
    sessionName: (id) => Promise.resolve(id === 's1' ? 'Fix the build' : id),
    showDesktop: (notice) => desktop.push(notice),
  });
  return { activity, desktop };
}

it('raises a notice with the session name when an agent starts waiting, and drops it once it works', async () => {
  const { activity, desktop } = store({ pageHidden: true, permission: 'granted', viewing: null });
  await activity.apply(event('working'));
  expect(activity.getSnapshot().notices).toEqual([]);
  await activity.apply(event('waiting'));
  expect(activity.getSnapshot().notices.map((n) => n.sessionName)).toEqual(['Fix the build']);
  expect(desktop.map((n) => [n.sessionName, n.sessionId, n.terminalId])).toEqual([
    ['Fix the build', 's1', 't1'],
  ]);
  expect(activity.getSnapshot().byTerminal.get('t1')?.activity).toBe('waiting');
  await activity.apply(event('working'));
  expect(activity.getSnapshot().notices).toEqual([]);
});

it('raises nothing for where things stood when the stream opened, nor when turned off', async () => {
  const { activity, desktop } = store({ pageHidden: true, permission: 'granted', viewing: null });
  await activity.apply(event('waiting', false));
  activity.setSettings({ inApp: false, desktop: false });
  await activity.apply(event('waiting'));
  expect(activity.getSnapshot().notices).toEqual([]);
  expect(desktop).toEqual([]);
});

it('forgets what a closed stream told when a new one opens, but keeps the notices', async () => {
  const { activity } = store({ pageHidden: false, permission: 'default', viewing: null });
  await activity.apply(event('waiting'));
  activity.reset();
  expect(activity.getSnapshot().byTerminal.size).toBe(0);
  expect(activity.getSnapshot().notices).toHaveLength(1);
  activity.dismiss(activity.getSnapshot().notices[0]?.id ?? -1);
  expect(activity.getSnapshot().notices).toEqual([]);
});

it('keeps nothing of a user who logged out, nor their settings', async () => {
  const { activity } = store({ pageHidden: false, permission: 'default', viewing: null });
  activity.setSettings({ inApp: false, desktop: false });
  await activity.apply(event('working'));
  activity.setSettings({ inApp: true, desktop: false });
  await activity.apply(event('waiting'));
  activity.setSettings({ inApp: false, desktop: false });
  activity.clear();
  expect(activity.getSnapshot().byTerminal.size).toBe(0);
  expect(activity.getSnapshot().notices).toEqual([]);
  expect(activity.getSettings()).toEqual({ inApp: true, desktop: true });
});
