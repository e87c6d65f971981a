import { activityStore, useActivity } from '../activity/live';
import { routeHash } from '../routes';

/** The app's notices that agents wait for their user, each leading to its tab. */
export function Notices() {
  const { notices } = useActivity();
  if (notices.length === 0) return null;
  return (
    <ul className="notices" role="status" aria-live="polite" data-testid="notices">
      {notices.map((notice) => (
        <li key={notice.id} className="notice" data-testid="notice">
          <a
            href={routeHash({
              page: 'session',
              sessionId: notice.sessionId,
              tab: notice.terminalId,
            })}
            onClick={() => {
              activityStore.dismiss(notice.id);
            }}
          >
            {notice.sessionName} needs you
          </a>
          <button
            type="button"
            className="notice__dismiss"
            aria-label="Dismiss"
            onClick={() => {
              activityStore.dismiss(notice.id);
            }}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
