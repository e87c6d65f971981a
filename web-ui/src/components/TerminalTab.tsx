import type { Terminal } from '@xterm/xterm';
import { useEffect, useRef, useState } from 'react';
import type { TerminalSize } from '../api/types';
import { StickyModifiers, withModifiers } from '../terminal/keyBar';
import { mountTerminal } from '../terminal/mountTerminal';
import type {
  ChannelState,
  SizeState,
  TerminalChannel,
  TerminalConnection,
} from '../terminal/TerminalConnection';
import { isTouchDevice, KeyBar } from './KeyBar';

interface Props {
  connection: TerminalConnection;
  terminalId: string;
  active: boolean;
  onState: (terminalId: string, state: ChannelState) => void;
  /** The size that fits this tab's window, for opening the next tab at it. */
  onSize: (size: TerminalSize) => void;
}

/**
 * One tab's xterm, attached to its terminal on the shared connection. Inactive tabs stay mounted
 * (and attached) behind the active one, so they keep their screen and their size.
 */
export function TerminalTab({ connection, terminalId, active, onState, onSize }: Props) {
  const containerRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const [size, setSize] = useState<SizeState>({ terminal: null, window: null });
  const [modifiers] = useState(() => new StickyModifiers());
  const [touch] = useState(isTouchDevice);

  useEffect(() => {
    const container = containerRef.current;
    if (container === null) return;
    // The window is measured as the xterm opens, before the channel exists to hear it.
    const fitted: { channel: TerminalChannel | null; size: TerminalSize | null } = {
      channel: null,
      size: null,
    };
    const mounted = mountTerminal(container, (cols, rows) => {
      fitted.size = { cols, rows };
      fitted.channel?.fitted(cols, rows);
      onSize({ cols, rows });
    });
    termRef.current = mounted.term;
    const channel = connection.open(
      terminalId,
      withModifiers(mounted.term, modifiers),
      (state) => {
        onState(terminalId, state);
      },
      setSize,
    );
    fitted.channel = channel;
    if (fitted.size !== null) channel.fitted(fitted.size.cols, fitted.size.rows);
    return () => {
      channel.dispose();
      termRef.current = null;
      mounted.dispose();
    };
  }, [connection, terminalId, onState, onSize, modifiers]);

  useEffect(() => {
    if (active) termRef.current?.focus();
  }, [active]);

  const { terminal, window } = size;
  const otherSize =
    terminal !== null &&
    window !== null &&
    (terminal.cols !== window.cols || terminal.rows !== window.rows);
  return (
    <div
      className={active ? 'terminal-tab terminal-tab--active' : 'terminal-tab'}
      role="tabpanel"
      data-testid="terminal"
      data-terminal-id={terminalId}
      data-active={active}
    >
      <div ref={containerRef} className="terminal-tab__screen" />
      {touch && (
        <KeyBar
          modifiers={modifiers}
          onKey={(data) => {
            termRef.current?.input(data, true);
          }}
        />
      )}
      {otherSize && (
        <div className="terminal-size-note" data-testid="size-note" role="status">
          Shown at {terminal.cols}×{terminal.rows}, the size of the viewer that typed last; type to
          fit it to this window
        </div>
      )}
    </div>
  );
}
