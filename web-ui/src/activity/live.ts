import { useEffect, useSyncExternalStore } from 'react';
import { api, auth } from '../backend';
import { navigate, parseRoute } from '../routes';
import { ActivityStore, type ActivitySnapshot, type Notice } from './ActivityStore';
import { followActivity } from './stream';

/** The page's one store of what the user's terminals are doing. */
export const activityStore = new ActivityStore({
  surroundings: () => {
    const route = parseRoute(location.hash);
    return {
      pageHidden: document.visibilityState === 'hidden',
      permission: 'Notification' in window ? Notification.permission : 'unsupported',
      viewing: route.page === 'session' ? route.tab : null,
    };
  },
  sessionName: async (sessionId) => (await api.session(sessionId)).name,
  showDesktop,
});

function showDesktop(notice: Notice): void {
  const notification = new Notification(`${notice.sessionName} needs you`, {
    body: 'An agent is waiting for your answer.',
    // One notification per tab: a second call replaces the first.
    tag: notice.terminalId,
  });
  notification.onclick = () => {
    window.focus();
    navigate({ page: 'session', sessionId: notice.sessionId, tab: notice.terminalId });
    notification.close();
  };
}

/** Follows the activity stream while the component that calls it (the logged-in app) lives. */
export function useActivityStream(): void {
  useEffect(() => {
    const stop = new AbortController();
    api.notifications().then(
      (settings) => {
        activityStore.setSettings(settings);
      },
      () => {
        // Keep the defaults (every notification) when the settings cannot be read.
      },
    );
    void followActivity({
      fetch: (input, init) => fetch(input, init),
      token: auth.token,
      onOpen: () => {
        activityStore.reset();
      },
      onEvent: (event) => void activityStore.apply(event),
      signal: stop.signal,
    });
    return () => {
      stop.abort();
      activityStore.clear();
    };
  }, []);
}

/** What the user's terminals are doing, and the notices raised; re-renders on changes. */
export function useActivity(): ActivitySnapshot {
  return useSyncExternalStore(activityStore.subscribe, activityStore.getSnapshot);
}
