import { useState, type ReactNode } from 'react';

/** A failure message, announced to screen readers. */
export function ErrorText({ error }: { error: string | null }) {
  if (error === null) return null;
  return (
    <p className="error" role="alert">
      {error}
    </p>
  );
}

/** A state word with a colour; `data-state` carries it for tests. */
export function StateBadge({ state }: { state: string }) {
  return (
    <span className={`badge badge--${state}`} data-testid="state" data-state={state}>
      {state}
    </span>
  );
}

interface ConfirmButtonProps {
  children: ReactNode;
  /** The label of the second button, which does it. */
  confirmLabel: string;
  onConfirm: () => void;
  disabled?: boolean;
  testId?: string;
}

/** A button for something that cannot be undone: a second tap confirms (no hover, no dialog). */
export function ConfirmButton({
  children,
  confirmLabel,
  onConfirm,
  disabled = false,
  testId,
}: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button
        type="button"
        disabled={disabled}
        data-testid={testId}
        onClick={() => {
          setAsking(true);
        }}
      >
        {children}
      </button>
    );
  }
  return (
    <span className="confirm">
      <button
        type="button"
        className="danger"
        data-testid={testId === undefined ? undefined : `${testId}-confirm`}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button
        type="button"
        onClick={() => {
          setAsking(false);
        }}
      >
        Cancel
      </button>
    </span>
  );
}

/** Copies `text` to the clipboard; where the browser refuses, the user selects it by hand. */
export function CopyButton({ text }: { text: string }) {
  const [result, setResult] = useState<'copied' | 'failed' | null>(null);

  async function copy() {
    try {
      // Absent outside secure contexts (plain http on another host): that lands in catch too.
      await navigator.clipboard.writeText(text);
      setResult('copied');
    } catch {
      setResult('failed');
    }
  }

  return (
    <button type="button" data-testid="copy" onClick={() => void copy()}>
      {result === 'copied' ? 'Copied' : result === 'failed' ? 'Select and copy it' : 'Copy'}
    </button>
  );
}

/** A shown-once secret in a read-only field that selects itself, with a copy button. */
export function SecretField({ value, testId }: { value: string; testId: string }) {
  return (
    <div className="secret">
      <input
        readOnly
        value={value}
        data-testid={testId}
        onFocus={(event) => {
          event.currentTarget.select();
        }}
      />
      <CopyButton text={value} />
    </div>
  );
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** An API time for people; `—` for none. */
export function formatTime(iso: string | null): string {
  return iso === null ? '—' : dateTime.format(new Date(iso));
}

/** A form field's text; empty when absent. */
export function textField(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
