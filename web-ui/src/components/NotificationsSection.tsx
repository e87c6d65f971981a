import { useCallback, useState } from 'react';
import type { NotificationSettings } from '../api/types';
import { activityStore } from '../activity/live';
import { api } from '../backend';
import { useAction, useLoader } from '../hooks';
import { ErrorText } from './ui';

/** Each way of telling, as the settings name it, and what the user reads. */
const CHANNELS = [
  ['inApp', 'in this app'],
  ['desktop', 'with a browser notification, while the app is in the background'],
] as const;

/** Whether, and how, the user hears that an agent waits for them; kept on the server. */
export function NotificationsSection() {
  const load = useCallback(() => api.notifications(), []);
  const settings = useLoader(load);
  const { busy, error, run } = useAction();
  const supported = 'Notification' in window;
  const [permission, setPermission] = useState(supported ? Notification.permission : 'denied');

  function change(changes: Partial<NotificationSettings>) {
    const current = settings.data;
    if (current === undefined) return;
    void run(async () => {
      const saved = await api.setNotifications({ ...current, ...changes });
      settings.setData(saved);
      activityStore.setSettings(saved);
    });
  }

  function askPermission() {
    void Notification.requestPermission().then(setPermission);
  }

  return (
    <div className="card form" data-testid="notifications">
      <h2>Notifications</h2>
      <p className="muted">When one of your agents starts waiting for you, tell me:</p>
      <ErrorText error={settings.error ?? error} />
      {settings.data !== undefined && (
        <>
          {CHANNELS.map(([channel, label]) => (
            <label key={channel} className="checkbox">
              <input
                type="checkbox"
                checked={settings.data?.[channel] ?? true}
                disabled={busy}
                data-testid={`notify-${channel}`}
                onChange={(event) => {
                  change({ [channel]: event.currentTarget.checked });
                }}
              />{' '}
              {label}
            </label>
          ))}
          {settings.data.desktop && supported && permission === 'default' && (
            <div className="form__actions">
              <button type="button" onClick={askPermission} data-testid="allow-notifications">
                Allow this browser to notify me
              </button>
            </div>
          )}
          {settings.data.desktop && (!supported || permission === 'denied') && (
            <p className="muted">This browser does not allow this site to show notifications.</p>
          )}
        </>
      )}
    </div>
  );
}
