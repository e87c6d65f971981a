import { useCallback, useEffect, useRef, useState, type SubmitEvent } from 'react';
import { useActivity } from '../activity/live';
import type { Session, TerminalSize } from '../api/types';
import { api, gatewayBackend } from '../backend';
import { useAction, useLoader, usePolling, useProfiles } from '../hooks';
import { navigate, routeHash } from '../routes';
import {
  TerminalConnection,
  type ChannelState,
  type ConnectionState,
} from '../terminal/TerminalConnection';
import { ActivityBadge } from './ActivityBadge';
import { ConnectionStatus } from './ConnectionStatus';
import { TerminalTab } from './TerminalTab';
import { ConfirmButton, ErrorText, StateBadge, textField } from './ui';

const TRANSITION_POLL_MS = 1_000;
/** While running, tabs opened or a stop made on another device show up within this time. */
const RUNNING_POLL_MS = 10_000;
/** How long the connection status says that typed keys were not sent. */
const KEYS_REFUSED_SHOWN_MS = 4_000;

/** A session full-screen: its tabs when running, otherwise its state and a Start button. */
export function SessionPage({ sessionId, tab }: { sessionId: string; tab: string | null }) {
  const load = useCallback(() => api.session(sessionId), [sessionId]);
  const { data: session, error, reload, setData: setSession } = useLoader(load);
  const { busy, error: stopError, run } = useAction();
  usePolling(
    session?.state === 'starting' || session?.state === 'stopping',
    reload,
    TRANSITION_POLL_MS,
  );
  usePolling(session?.state === 'running', reload, RUNNING_POLL_MS);

  const [connectionState, setConnectionState] = useState<ConnectionState>({ kind: 'connecting' });
  const [keysRefusedAt, setKeysRefusedAt] = useState(0);
  // One socket for every tab of the session; it is opened only while the session runs.
  const [connection] = useState(
    () =>
      new TerminalConnection({
        backend: gatewayBackend,
        onStateChange: setConnectionState,
        onInputRefused: () => {
          setKeysRefusedAt(Date.now());
        },
      }),
  );
  useEffect(() => {
    if (keysRefusedAt === 0) return;
    const timer = window.setTimeout(() => {
      setKeysRefusedAt(0);
    }, KEYS_REFUSED_SHOWN_MS);
    return () => {
      window.clearTimeout(timer);
    };
  }, [keysRefusedAt]);
  const running = session?.state === 'running';
  useEffect(() => {
    if (!running) return;
    connection.start();
    // Back from a closed lid or a dead network: don't sit out the reconnect backoff.
    const wake = () => {
      if (document.visibilityState === 'visible') connection.reconnectNow();
    };
    document.addEventListener('visibilitychange', wake);
    window.addEventListener('online', wake);
    return () => {
      document.removeEventListener('visibilitychange', wake);
      window.removeEventListener('online', wake);
      connection.stop();
    };
  }, [connection, running]);

  const addTerminal = useCallback(
    (terminalId: string) => {
      setSession((current) =>
        current === undefined
          ? current
          : { ...current, terminals: [...current.terminals, terminalId] },
      );
    },
    [setSession],
  );

  function stop() {
    void run(async () => {
      setSession(await api.stopSession(sessionId));
    });
  }

  return (
    <div className="session-page">
      <header className="session-bar">
        <a
          className="session-bar__back"
          href={routeHash(
            session === undefined
              ? { page: 'workspaces' }
              : { page: 'workspace', workspaceId: session.workspaceId },
          )}
          aria-label="Back to the workspace"
          data-testid="back"
        >
          ←
        </a>
        {session === undefined ? (
          <span className="session-bar__name">…</span>
        ) : (
          <SessionName session={session} onRenamed={setSession} />
        )}
        {session !== undefined && <StateBadge state={session.state} />}
        {running && <ConnectionStatus state={connectionState} keysRefused={keysRefusedAt > 0} />}
        {running && (
          <ConfirmButton
            confirmLabel="Stop every process"
            onConfirm={stop}
            disabled={busy}
            testId="stop-session"
          >
            Stop
          </ConfirmButton>
        )}
      </header>
      <ErrorText error={error ?? stopError} />
      {session !== undefined &&
        (running ? (
          <SessionTabs
            session={session}
            connection={connection}
            tab={tab}
            onTerminalAdded={addTerminal}
            onTerminalExited={reload}
          />
        ) : (
          <NotRunning session={session} onChange={setSession} />
        ))}
    </div>
  );
}

/** The session's name; a tap on it renames the session. */
function SessionName({
  session,
  onRenamed,
}: {
  session: Session;
  onRenamed: (session: Session) => void;
}) {
  const [editing, setEditing] = useState(false);
  const { busy, error, run } = useAction();

  function save(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = textField(new FormData(event.currentTarget), 'name').trim();
    void run(async () => {
      onRenamed(await api.renameSession(session.id, name));
      setEditing(false);
    });
  }

  if (!editing) {
    return (
      <button
        type="button"
        className="session-bar__name"
        title="Rename the session"
        data-testid="session-title"
        onClick={() => {
          setEditing(true);
        }}
      >
        {session.name}
      </button>
    );
  }
  return (
    <form
      className="session-bar__rename"
      data-testid="session-rename"
      onSubmit={save}
      onKeyDown={(event) => {
        if (event.key === 'Escape') setEditing(false);
      }}
    >
      <input
        name="name"
        aria-label="Session name"
        defaultValue={session.name}
        required
        maxLength={100}
        autoFocus
      />
      <button type="submit" className="primary" disabled={busy}>
        Save
      </button>
      <button
        type="button"
        onClick={() => {
          setEditing(false);
        }}
      >
        Cancel
      </button>
      <ErrorText error={error} />
    </form>
  );
}

interface SessionTabsProps {
  session: Session;
  connection: TerminalConnection;
  tab: string | null;
  onTerminalAdded: (terminalId: string) => void;
  /** A process exited: the session's state may have changed with it. */
  onTerminalExited: () => Promise<void>;
}

function SessionTabs({
  session,
  connection,
  tab,
  onTerminalAdded,
  onTerminalExited,
}: SessionTabsProps) {
  /** Every tab this page has shown, in order; the server stops listing a terminal once it ends. */
  const [known, setKnown] = useState(session.terminals);
  const [closed, setClosed] = useState<ReadonlySet<string>>(new Set());
  const [states, setStates] = useState<Record<string, ChannelState>>({});
  const lastSize = useRef<TerminalSize | null>(null);
  const { busy, error, run } = useAction();
  const profiles = useProfiles();
  const activity = useActivity();
  const [newTabProfile, setNewTabProfile] = useState('shell');
  /** What the tabs opened on this page run: those a Relaunch can start again. */
  const [profileOf, setProfileOf] = useState<Record<string, string>>({});

  const added = session.terminals.filter((id) => !known.includes(id));
  if (added.length > 0) setKnown([...known, ...added]);
  // An ended tab stays, saying so, until the user closes it.
  const tabs = known.filter(
    (id) => !closed.has(id) && (session.terminals.includes(id) || ended(states[id])),
  );
  const active = tab !== null && tabs.includes(tab) ? tab : (tabs[0] ?? null);

  const select = useCallback(
    (terminalId: string | null) => {
      navigate({ page: 'session', sessionId: session.id, tab: terminalId }, { replace: true });
    },
    [session.id],
  );

  const report = useCallback(
    (terminalId: string, state: ChannelState) => {
      setStates((current) => ({ ...current, [terminalId]: state }));
      if (state.kind === 'exited') void onTerminalExited();
    },
    [onTerminalExited],
  );

  const rememberSize = useCallback((size: TerminalSize) => {
    lastSize.current = size;
  }, []);

  function openTab(profile: string, resume = false) {
    void run(async () => {
      const created = await api.openTerminal(session.id, lastSize.current, profile, resume);
      setProfileOf((current) => ({ ...current, [created.id]: created.profile }));
      onTerminalAdded(created.id);
      select(created.id);
    });
  }

  function endTab(terminalId: string) {
    void run(async () => {
      await api.closeTerminal(session.id, terminalId);
      closeTab(terminalId);
    });
  }

  /** The ended tab's profile again, continuing its conversation where the profile can. */
  function relaunch(terminalId: string) {
    const profile = profileOf[terminalId];
    if (profile === undefined) return;
    const resumable = profiles.data?.find((known) => known.name === profile)?.resumable ?? false;
    closeTab(terminalId);
    openTab(profile, resumable);
  }

  function closeTab(terminalId: string) {
    setClosed(new Set(closed).add(terminalId));
    if (terminalId === active) {
      const rest = tabs.filter((id) => id !== terminalId);
      select(rest[Math.min(tabs.indexOf(terminalId), rest.length - 1)] ?? null);
    }
  }

  const label = (terminalId: string) => `Tab ${known.indexOf(terminalId) + 1}`;
  const activeState = active === null ? undefined : states[active];

  return (
    <>
      <div className="tabs" role="tablist" aria-label="Terminals">
        {tabs.map((id) => {
          const state = states[id];
          const isEnded = ended(state);
          return (
            <div key={id} className={id === active ? 'tab tab--active' : 'tab'}>
              <button
                type="button"
                role="tab"
                aria-selected={id === active}
                data-testid="tab"
                data-terminal-id={id}
                data-state={state?.kind ?? 'attaching'}
                onClick={() => {
                  select(id);
                }}
              >
                {label(id)}
                {isEnded && <span className="tab__ended"> · ended</span>}
                <ActivityBadge event={activity.byTerminal.get(id)} />
              </button>
              {!isEnded && id === active && (
                <ConfirmButton
                  confirmLabel="End it"
                  onConfirm={() => {
                    endTab(id);
                  }}
                  disabled={busy}
                  testId="end-tab"
                >
                  ×
                </ConfirmButton>
              )}
              {isEnded && (
                <button
                  type="button"
                  className="tab__close"
                  aria-label={`Close ${label(id)}`}
                  data-testid="close-tab"
                  onClick={() => {
                    closeTab(id);
                  }}
                >
                  ×
                </button>
              )}
            </div>
          );
        })}
        {profiles.data && profiles.data.length > 1 && (
          <select
            className="tabs__profile"
            aria-label="What a new tab runs"
            value={newTabProfile}
            data-testid="new-tab-profile"
            onChange={(event) => {
              setNewTabProfile(event.currentTarget.value);
            }}
          >
            {profiles.data.map((profile) => (
              <option key={profile.name} value={profile.name}>
                {profile.label}
              </option>
            ))}
          </select>
        )}
        <button
          type="button"
          className="tabs__new"
          aria-label="Open another tab"
          disabled={busy}
          data-testid="new-tab"
          onClick={() => {
            openTab(newTabProfile);
          }}
        >
          +
        </button>
      </div>
      <ErrorText error={error} />
      {active !== null && activeState !== undefined && (
        <TabEndedBar
          state={activeState}
          onClose={() => {
            closeTab(active);
          }}
          onRelaunch={
            active in profileOf && !busy
              ? () => {
                  relaunch(active);
                }
              : undefined
          }
        />
      )}
      <div className="terminals">
        {tabs.map((id) => (
          <TerminalTab
            key={id}
            connection={connection}
            terminalId={id}
            active={id === active}
            onState={report}
            onSize={rememberSize}
          />
        ))}
        {tabs.length === 0 && <p className="terminals__empty">No open tabs: + opens one.</p>}
      </div>
    </>
  );
}

function ended(state: ChannelState | undefined): boolean {
  return state?.kind === 'exited' || state?.kind === 'failed';
}

/**
 * Says why the active tab has ended, and closes it, or relaunches what it ran where that is known.
 * Nothing for a live tab.
 */
function TabEndedBar({
  state,
  onClose,
  onRelaunch,
}: {
  state: ChannelState;
  onClose: () => void;
  onRelaunch: (() => void) | undefined;
}) {
  let text: string;
  if (state.kind === 'exited') text = `The process exited with code ${state.exitCode}.`;
  else if (state.kind === 'failed' && state.code === 'not_found')
    text = 'This terminal has ended and its output is gone.';
  else if (state.kind === 'failed') text = `This terminal cannot be shown: ${state.message}`;
  else return null;
  return (
    <div className="tab-ended" role="status" data-testid="tab-ended">
      <span>{text}</span>
      {state.kind === 'exited' && onRelaunch && (
        <button type="button" data-testid="relaunch-tab" onClick={onRelaunch}>
          Relaunch
        </button>
      )}
      <button type="button" data-testid="close-active-tab" onClick={onClose}>
        Close tab
      </button>
    </div>
  );
}

function NotRunning({ session, onChange }: { session: Session; onChange: (s: Session) => void }) {
  const { busy, error, run } = useAction();
  const profiles = useProfiles();
  const resumable =
    profiles.data?.some((profile) => profile.name === session.profile && profile.resumable) ??
    false;

  function act(action: () => Promise<Session>) {
    void run(async () => {
      onChange(await action());
    });
  }

  return (
    <div className="not-running">
      <div className="card not-running__card">
        {session.state === 'idle' && <p>This session is not running.</p>}
        {session.state === 'starting' && <p>Starting…</p>}
        {session.state === 'stopping' && <p>Stopping…</p>}
        {session.state === 'error' && <ErrorText error={session.error ?? 'The session failed.'} />}
        {(session.state === 'idle' || session.state === 'error') && (
          <button
            type="button"
            className="primary"
            disabled={busy}
            data-testid="start-session"
            onClick={() => {
              act(() => api.startSession(session.id));
            }}
          >
            {busy ? 'Starting…' : session.state === 'error' ? 'Start again' : 'Start'}
          </button>
        )}
        {(session.state === 'idle' || session.state === 'error') && profiles.data && (
          <label>
            Runs
            <select
              value={session.profile}
              disabled={busy}
              data-testid="session-profile"
              onChange={(event) => {
                const profile = event.currentTarget.value;
                act(() => api.changeSessionProfile(session.id, profile));
              }}
            >
              {profiles.data.map((profile) => (
                <option key={profile.name} value={profile.name}>
                  {profile.label}
                </option>
              ))}
            </select>
          </label>
        )}
        {(session.state === 'idle' || session.state === 'error') && resumable && (
          <button
            type="button"
            disabled={busy}
            data-testid="relaunch-session"
            onClick={() => {
              act(() => api.startSession(session.id, true));
            }}
          >
            Relaunch, continuing the last conversation
          </button>
        )}
        {(session.state === 'idle' || session.state === 'error') && (
          <ConfirmButton
            confirmLabel="Delete session"
            disabled={busy}
            testId="delete-session"
            onConfirm={() => {
              void run(async () => {
                await api.deleteSession(session.id);
                navigate({ page: 'workspace', workspaceId: session.workspaceId });
              });
            }}
          >
            Delete
          </ConfirmButton>
        )}
        <ErrorText error={error} />
      </div>
    </div>
  );
}
