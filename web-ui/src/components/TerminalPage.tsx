import { useCallback, useEffect, useRef, useState } from 'react';
import { session } from '../session';
import { apiBackend } from '../terminal/apiBackend';
import { mountTerminal, type MountedTerminal } from '../terminal/mountTerminal';
import { TerminalConnection, type ConnectionState } from '../terminal/TerminalConnection';
import { ConnectionStatus } from './ConnectionStatus';
import { ShellExitedBar } from './ShellExitedBar';

interface Props {
  accessToken: string;
  onUnauthorized: () => void;
  onLogout: () => void;
}

/** The full-window terminal with a slim bar for the connection status and logout. */
export function TerminalPage({ accessToken, onUnauthorized, onLogout }: Props) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mountedRef = useRef<MountedTerminal | null>(null);
  const connectionRef = useRef<TerminalConnection | null>(null);
  const [state, setState] = useState<ConnectionState>({ kind: 'connecting' });
  const [exitCode, setExitCode] = useState<number | null>(null);

  useEffect(() => {
    const container = containerRef.current;
    if (container === null) return;
    const mounted = mountTerminal(container);
    const connection = new TerminalConnection(mounted.term, {
      backend: apiBackend(accessToken),
      terminalId: session.terminalId(),
      onStateChange: setState,
      onTerminalChange: session.saveTerminalId,
      onExit: setExitCode,
      onUnauthorized,
    });
    mountedRef.current = mounted;
    connectionRef.current = connection;
    connection.start();
    return () => {
      connectionRef.current = null;
      mountedRef.current = null;
      connection.dispose();
      mounted.dispose();
    };
  }, [accessToken, onUnauthorized]);

  const startNewShell = useCallback(async () => {
    await connectionRef.current?.startNewShell();
    setExitCode(null);
    mountedRef.current?.term.focus();
  }, []);

  return (
    <div className="terminal-page">
      <header className="terminal-page__bar">
        <span className="terminal-page__title">Claude Code Cloud</span>
        <ConnectionStatus state={state} />
        <button type="button" className="terminal-page__logout" onClick={onLogout}>
          Log out
        </button>
      </header>
      {exitCode !== null && <ShellExitedBar exitCode={exitCode} onStartNewShell={startNewShell} />}
      <div className="terminal-page__terminal" ref={containerRef} data-testid="terminal" />
    </div>
  );
}
