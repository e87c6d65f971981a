import { useActivity } from '../activity/live';
import { sessionActivity } from '../activity/notify';
import type { Session } from '../api/types';
import { api } from '../backend';
import { useAction } from '../hooks';
import { navigate, routeHash } from '../routes';
import { ActivityBadge } from './ActivityBadge';
import { ConfirmButton, ErrorText, formatTime, StateBadge } from './ui';

interface SessionItemProps {
  session: Session;
  onChange: () => Promise<void>;
  /**
   * Whose session it is, when it may be someone else's (an admin's list of everyone's). Only the
   * owner opens and starts a session; the server refuses anyone else, so the buttons are not shown.
   */
  owner?: { name: string; isViewer: boolean };
  /** The workspace's name, when the list is not already inside it. */
  workspaceName?: string;
}

/** A session in a list: its state, and what may be done with it. */
export function SessionItem({ session, onChange, owner, workspaceName }: SessionItemProps) {
  const { busy, error, run } = useAction();
  const mine = owner?.isViewer ?? true;
  const activity = useActivity();
  const open = () => {
    navigate({ page: 'session', sessionId: session.id, tab: null });
  };

  function act(action: () => Promise<unknown>, after: () => void | Promise<void> = onChange) {
    void run(async () => {
      await action();
      await after();
    });
  }

  return (
    <li className="list__item" data-testid="session" data-session-id={session.id}>
      <div className="list__main">
        {mine ? (
          <a
            className="list__name"
            href={routeHash({ page: 'session', sessionId: session.id, tab: null })}
            data-testid="session-link"
          >
            {session.name}
          </a>
        ) : (
          <span className="list__name">{session.name}</span>
        )}
        <StateBadge state={session.state} />
        {session.state === 'running' && (
          <ActivityBadge event={sessionActivity(activity.byTerminal, session.id)} />
        )}
        {owner !== undefined && (
          <span className="badge" data-testid="session-owner">
            {owner.isViewer ? 'you' : owner.name}
          </span>
        )}
      </div>
      <p className="list__detail muted">
        {workspaceName !== undefined && `in ${workspaceName} · `}
        {session.profile}
        {session.state === 'running' &&
          ` · ${session.terminals.length === 1 ? '1 tab' : `${session.terminals.length} tabs`}`}
        {session.startedAt !== null && ` · started ${formatTime(session.startedAt)}`}
      </p>
      {session.state === 'error' && <ErrorText error={session.error} />}
      <div className="actions">
        {mine && session.state === 'running' && (
          <button type="button" className="primary" data-testid="open-session" onClick={open}>
            Open
          </button>
        )}
        {mine && (session.state === 'idle' || session.state === 'error') && (
          <button
            type="button"
            className="primary"
            disabled={busy}
            data-testid="start-session"
            onClick={() => {
              act(() => api.startSession(session.id), open);
            }}
          >
            {session.state === 'error' ? 'Start again' : 'Start'}
          </button>
        )}
        {session.state === 'running' && (
          <ConfirmButton
            confirmLabel="Stop every process"
            disabled={busy}
            testId="stop-session"
            onConfirm={() => {
              act(() => api.stopSession(session.id));
            }}
          >
            Stop
          </ConfirmButton>
        )}
        {/* The server refuses to delete a session while it is starting or stopping. */}
        {session.state !== 'starting' && session.state !== 'stopping' && (
          <ConfirmButton
            confirmLabel="Delete session"
            disabled={busy}
            testId="delete-session"
            onConfirm={() => {
              act(() => api.deleteSession(session.id));
            }}
          >
            Delete
          </ConfirmButton>
        )}
      </div>
      <ErrorText error={error} />
    </li>
  );
}
