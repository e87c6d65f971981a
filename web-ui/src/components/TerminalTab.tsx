import type { Terminal } from '@xterm/xterm';
import { useEffect, useRef } from 'react';
import type { TerminalSize } from '../api/types';
import { mountTerminal } from '../terminal/mountTerminal';
import type { ChannelState, TerminalConnection } from '../terminal/TerminalConnection';

interface Props {
  connection: TerminalConnection;
  terminalId: string;
  active: boolean;
  onState: (terminalId: string, state: ChannelState) => void;
  /** The terminal's size in characters, for opening the next tab at the same size. */
  onSize: (size: TerminalSize) => void;
}

/**
 * One tab's xterm, attached to its terminal on the shared connection. Inactive tabs stay mounted
 * (and attached) behind the active one, so they keep their screen and their size.
 */
export function TerminalTab({ connection, terminalId, active, onState, onSize }: Props) {
  const containerRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);

  useEffect(() => {
    const container = containerRef.current;
    if (container === null) return;
    const mounted = mountTerminal(container);
    termRef.current = mounted.term;
    const sizeSubscription = mounted.term.onResize(onSize);
    const channel = connection.open(terminalId, mounted.term, (state) => {
      onState(terminalId, state);
    });
    return () => {
      channel.dispose();
      sizeSubscription.dispose();
      termRef.current = null;
      mounted.dispose();
    };
  }, [connection, terminalId, onState, onSize]);

  useEffect(() => {
    if (active) termRef.current?.focus();
  }, [active]);

  return (
    <div
      ref={containerRef}
      className={active ? 'terminal-tab terminal-tab--active' : 'terminal-tab'}
      role="tabpanel"
      data-testid="terminal"
      data-terminal-id={terminalId}
      data-active={active}
    />
  );
}
