import { useState } from 'react';
import { errorMessage } from '../api';

interface Props {
  exitCode: number;
  onStartNewShell: () => Promise<void>;
}

/** Shown once the terminal's process has exited: offers a fresh shell. */
export function ShellExitedBar({ exitCode, onStartNewShell }: Props) {
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function startNewShell() {
    setStarting(true);
    setError(null);
    try {
      await onStartNewShell();
    } catch (failure) {
      setError(errorMessage(failure));
      setStarting(false);
    }
  }

  return (
    <div className="shell-exited" role="alert">
      <span>The shell exited with code {exitCode}.</span>
      <button
        type="button"
        data-testid="new-shell"
        disabled={starting}
        onClick={() => void startNewShell()}
      >
        {starting ? 'Starting…' : 'Start a new shell'}
      </button>
      {error !== null && <span className="shell-exited__error">{error}</span>}
    </div>
  );
}
