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

/**
 * Over the terminals while the connection is down: says plainly that typed keys are not sent, and
 * offers to try again now instead of waiting out the backoff.
 */
export function DisconnectedOverlay({
  state,
  onReconnect,
}: {
  state: ConnectionState;
  onReconnect: () => void;
}) {
  if (state.kind !== 'reconnecting' && state.kind !== 'closed') return null;
  return (
    <div className="disconnected-overlay" data-testid="disconnected-overlay" role="alert">
      <div className="disconnected-overlay__card">
        <strong>Not connected</strong>
        <p>What you type is not sent until the connection is back. {describe(state)}</p>
        {state.kind === 'reconnecting' && (
          <button type="button" onClick={onReconnect} data-testid="reconnect-now">
            Reconnect now
          </button>
        )}
      </div>
    </div>
  );
}
