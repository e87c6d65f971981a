import type { ConnectionState } from '../terminal/TerminalConnection';

/** A dot and a short label for the connection; `data-state` carries the state for tests. */
export function ConnectionStatus({ state }: { state: ConnectionState }) {
  return (
    <div
      className={`connection-status connection-status--${state.kind}`}
      data-testid="connection-status"
      data-state={state.kind}
      role="status"
    >
      <span className="connection-status__dot" aria-hidden="true" />
      {describe(state)}
    </div>
  );
}

function describe(state: ConnectionState): string {
  switch (state.kind) {
    case 'connecting':
      return 'Connecting…';
    case 'connected':
      return state.latencyMs === null ? 'Connected' : `Connected · ${state.latencyMs} ms`;
    case 'reconnecting':
      return `Reconnecting in ${Math.ceil(state.retryInMs / 1000)} s…`;
    case 'closed':
      return `Disconnected: ${state.reason}`;
  }
}
