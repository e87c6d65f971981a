import { useCallback, useEffect, useRef, useState, type SubmitEvent } from 'react';
import { useActivity } from '../activity/live';
import type { Session, Tab, TerminalSize } from '../api/types';
import { api, gatewayBackend } from '../backend';
import { useAction, useLoader, usePolling, useProfiles } from '../hooks';
import { navigate, routeHash } from '../routes';
import {
  TerminalConnection,
  type ChannelState,
  type ConnectionState,
} from '../terminal/TerminalConnection';
import { ActivityBadge } from './ActivityBadge';
import { ConnectionStatus, DisconnectedOverlay } from './ConnectionStatus';
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
  // A session at rest shows its cold tabs, whose output the pty-service kept across its restart.
  const showTabs = running || (session?.tabs.length ?? 0) > 0;
  useEffect(() => {
    if (!showTabs) return;
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
  }, [connection, showTabs]);

  const addTab = useCallback(
    (tab: Tab) => {
      setSession((current) =>
        current === undefined
          ? current
          : {
              ...current,
              terminals: [...current.terminals, tab.id],
              tabs: [...current.tabs, tab],
            },
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
        (showTabs ? (
          <div className="session-body">
            <SessionTabs
              session={session}
              connection={connection}
              tab={tab}
              onTabAdded={addTab}
              onChange={setSession}
              onTerminalExited={reload}
            />
            <DisconnectedOverlay
              state={connectionState}
              onReconnect={() => {
                connection.reconnectNow();
              }}
            />
          </div>
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
  onTabAdded: (tab: Tab) => void;
  onChange: (session: Session) => void;
  /** A process exited: the session's state may have changed with it. */
  onTerminalExited: () => Promise<void>;
}

/** How often a tab being closed is asked to go once its process has ended. */
const DROP_RETRY_MS = 100;
const DROP_ATTEMPTS = 30;

function SessionTabs({
  session,
  connection,
  tab,
  onTabAdded,
  onChange,
  onTerminalExited,
}: SessionTabsProps) {
  /** Tabs closed on this page, hidden at once while the server forgets them. */
  const [closed, setClosed] = useState<ReadonlySet<string>>(new Set());
  const [states, setStates] = useState<Record<string, ChannelState>>({});
  /** Bumped when a tab is relaunched: its view attaches again and replays, marker included. */
  const [generations, setGenerations] = useState<Record<string, number>>({});
  const lastSize = useRef<TerminalSize | null>(null);
  const { busy, error, run } = useAction();
  const profiles = useProfiles();
  const activity = useActivity();
  const [newTabProfile, setNewTabProfile] = useState('shell');
  const [renaming, setRenaming] = useState<string | null>(null);

  const tabs = session.tabs.filter((each) => !closed.has(each.id));
  const ids = tabs.map((each) => each.id);
  const active = tab !== null && ids.includes(tab) ? tab : (ids[0] ?? null);

  // A tab this page saw end, which the server says runs: someone relaunched it. Attach again.
  const relaunchedElsewhere = tabs.filter(
    (each) => each.state === 'running' && ended(states[each.id]),
  );
  if (relaunchedElsewhere.length > 0) {
    const next = { ...generations };
    const cleared = { ...states };
    for (const each of relaunchedElsewhere) {
      next[each.id] = (next[each.id] ?? 0) + 1;
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a fresh view attaches
      delete cleared[each.id];
    }
    setGenerations(next);
    setStates(cleared);
  }

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

  function openTab(profile: string) {
    void run(async () => {
      const created = await api.openTerminal(session.id, lastSize.current, profile);
      onTabAdded({
        id: created.id,
        name: null,
        profile: created.profile,
        state: 'running',
        exitCode: null,
      });
      select(created.id);
    });
  }

  /** Ends the tab's process, then forgets the tab once the process has gone. */
  function endTab(terminalId: string) {
    void run(async () => {
      await api.closeTerminal(session.id, terminalId);
      hide(terminalId);
      void dropOnceEnded(session.id, terminalId);
    });
  }

  /** Forgets an ended tab and its output, for every viewer. */
  function closeTab(terminalId: string) {
    hide(terminalId);
    void run(async () => {
      await api.closeTerminal(session.id, terminalId);
    });
  }

  /** The tab's profile again, in place, continuing its conversation where the profile can. */
  function relaunch(ended: Tab) {
    const resumable =
      profiles.data?.find((known) => known.name === ended.profile)?.resumable ?? false;
    void run(async () => {
      const relaunched = await api.relaunchTerminal(session.id, ended.id, resumable);
      setStates((current) => {
        const rest = { ...current };
        // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a fresh view attaches
        delete rest[ended.id];
        return rest;
      });
      setGenerations((current) => ({ ...current, [ended.id]: (current[ended.id] ?? 0) + 1 }));
      onChange(relaunched);
    });
  }

  function rename(terminalId: string, name: string) {
    void run(async () => {
      await api.renameTerminal(session.id, terminalId, name);
      setRenaming(null);
      onChange({
        ...session,
        tabs: session.tabs.map((each) => (each.id === terminalId ? { ...each, name } : each)),
      });
    });
  }

  function hide(terminalId: string) {
    setClosed(new Set(closed).add(terminalId));
    if (terminalId === active) {
      const rest = ids.filter((id) => id !== terminalId);
      select(rest[Math.min(ids.indexOf(terminalId), rest.length - 1)] ?? null);
    }
  }

  const label = (each: Tab) => each.name ?? `Tab ${session.tabs.indexOf(each) + 1}`;
  const activeTab = tabs.find((each) => each.id === active);

  return (
    <>
      <div className="tabs" role="tablist" aria-label="Terminals">
        {tabs.map((each) => {
          const id = each.id;
          const state = states[id];
          const isEnded = each.state !== 'running' || ended(state);
          if (renaming === id) {
            return (
              <form
                key={id}
                className="tab tab--active tab__rename"
                data-testid="tab-rename"
                onSubmit={(event) => {
                  event.preventDefault();
                  rename(id, textField(new FormData(event.currentTarget), 'name').trim());
                }}
                onKeyDown={(event) => {
                  if (event.key === 'Escape') setRenaming(null);
                }}
              >
                <input
                  name="name"
                  aria-label="Tab name"
                  defaultValue={each.name ?? ''}
                  required
                  maxLength={40}
                  autoFocus
                />
                <button type="submit" disabled={busy}>
                  Save
                </button>
              </form>
            );
          }
          return (
            <div key={id} className={id === active ? 'tab tab--active' : 'tab'}>
              <button
                type="button"
                role="tab"
                aria-selected={id === active}
                title={id === active ? 'Double-click to rename' : undefined}
                data-testid="tab"
                data-terminal-id={id}
                data-state={each.state === 'cold' ? 'cold' : (state?.kind ?? 'attaching')}
                onClick={() => {
                  select(id);
                }}
                onDoubleClick={() => {
                  setRenaming(id);
                }}
              >
                <span data-testid="tab-label">{label(each)}</span>
                {isEnded && (
                  <span className="tab__ended">
                    {each.state === 'cold' ? ' · cold' : ' · ended'}
                  </span>
                )}
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
                  aria-label={`Close ${label(each)}`}
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
        {session.state === 'running' && profiles.data && profiles.data.length > 1 && (
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
        {session.state === 'running' && (
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
        )}
        {active !== null && renaming === null && (
          <button
            type="button"
            className="tabs__rename"
            aria-label="Rename this tab"
            data-testid="rename-tab"
            onClick={() => {
              setRenaming(active);
            }}
          >
            ✎
          </button>
        )}
      </div>
      <ErrorText error={error} />
      {activeTab !== undefined && (
        <TabEndedBar
          tab={activeTab}
          state={states[activeTab.id]}
          onClose={() => {
            closeTab(activeTab.id);
          }}
          onRelaunch={
            busy
              ? undefined
              : () => {
                  relaunch(activeTab);
                }
          }
        />
      )}
      <div className="terminals">
        {tabs.map((each) => (
          <TerminalTab
            key={`${each.id}:${String(generations[each.id] ?? 0)}`}
            connection={connection}
            terminalId={each.id}
            active={each.id === active}
            onState={report}
            onSize={rememberSize}
          />
        ))}
        {tabs.length === 0 && <p className="terminals__empty">No open tabs: + opens one.</p>}
      </div>
    </>
  );
}

/** Asks the server to forget a tab whose process is ending, until it has ended. */
async function dropOnceEnded(sessionId: string, terminalId: string) {
  for (let attempt = 0; attempt < DROP_ATTEMPTS; attempt++) {
    try {
      await api.closeTerminal(sessionId, terminalId);
      const now = await api.session(sessionId);
      if (!now.tabs.some((each) => each.id === terminalId)) return;
    } catch {
      // Gone already, or the session ended with it.
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, DROP_RETRY_MS));
  }
}

function ended(state: ChannelState | undefined): boolean {
  return state?.kind === 'exited' || state?.kind === 'failed';
}

/**
 * Says why the active tab has ended, and closes it, or relaunches what it ran in place. Nothing for
 * a live tab.
 */
function TabEndedBar({
  tab,
  state,
  onClose,
  onRelaunch,
}: {
  tab: Tab;
  state: ChannelState | undefined;
  onClose: () => void;
  onRelaunch: (() => void) | undefined;
}) {
  let text: string;
  let relaunchable = true;
  if (state?.kind === 'exited') text = `The process exited with code ${state.exitCode}.`;
  else if (tab.state === 'cold')
    text = 'This tab stopped when the server restarted; its output is kept.';
  else if (tab.state === 'exited')
    text = `The process exited with code ${String(tab.exitCode ?? '?')}.`;
  else if (state?.kind === 'failed' && state.code === 'not_found') {
    text = 'This terminal has ended and its output is gone.';
    relaunchable = false;
  } else if (state?.kind === 'failed') {
    text = `This terminal cannot be shown: ${state.message}`;
    relaunchable = false;
  } else return null;
  return (
    <div className="tab-ended" role="status" data-testid="tab-ended">
      <span>{text}</span>
      {relaunchable && onRelaunch && (
        <button type="button" className="primary" data-testid="relaunch-tab" onClick={onRelaunch}>
          Relaunch here
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
