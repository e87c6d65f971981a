import type { ConnectionState } from '../terminal/TerminalConnection';

/**
 * A dot and a short label for the connection; `data-state` carries the state for tests. With
 * `keysRefused`, it also says that keys typed just now were not sent.
 */
export function ConnectionStatus({
  state,
  keysRefused = false,
}: {
  state: ConnectionState;
  keysRefused?: boolean;
}) {
  return (
    <div
      className={`connection-status connection-status--${state.kind}`}
      data-testid="connection-status"
      data-state={state.kind}
      role="status"
    >
      <span className="connection-status__dot" aria-hidden="true" />
      {describe(state)}
      {keysRefused && (
        <strong data-testid="keys-refused">
          {' '}
          · not connected: the keys you typed were not sent
        </strong>
      )}
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
