import { useState, type SubmitEvent } from 'react';
import { ApiError, errorMessage, TOTP_REQUIRED } from '../api/http';
import { auth } from '../backend';
import { ErrorText, textField } from './ui';

/** Username and password; then, for accounts with two-factor login, the code. */
export function LoginPage({ notice }: { notice: string | null }) {
  const [error, setError] = useState(notice);
  const [submitting, setSubmitting] = useState(false);
  /** Set once the server asked for a code: the username and password to send again with it. */
  const [credentials, setCredentials] = useState<{ username: string; password: string } | null>(
    null,
  );

  async function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const { username, password } = credentials ?? {
      username: textField(form, 'username'),
      password: textField(form, 'password'),
    };
    const code = credentials === null ? undefined : textField(form, 'code').replaceAll(' ', '');
    setSubmitting(true);
    setError(null);
    try {
      await auth.login(username, password, code);
    } catch (failure) {
      if (failure instanceof ApiError && failure.type === TOTP_REQUIRED && credentials === null) {
        setCredentials({ username, password });
      } else {
        setError(errorMessage(failure));
      }
      setSubmitting(false);
    }
  }

  return (
    <main className="login">
      <form className="card login__form" onSubmit={(event) => void handleSubmit(event)}>
        <h1>Claude Code Cloud</h1>
        {credentials === null ? (
          <>
            <label>
              Username
              <input
                name="username"
                autoComplete="username"
                autoCapitalize="none"
                required
                autoFocus
              />
            </label>
            <label>
              Password
              <input name="password" type="password" autoComplete="current-password" required />
            </label>
          </>
        ) : (
          <label>
            Two-factor code
            <input
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              autoCapitalize="none"
              required
              autoFocus
              data-testid="login-code"
            />
            <span className="hint">
              The 6-digit code from your authenticator app, or one of your backup codes.
            </span>
          </label>
        )}
        <ErrorText error={error} />
        <button type="submit" className="primary" disabled={submitting} data-testid="login-submit">
          {submitting ? 'Logging in…' : 'Log in'}
        </button>
        {credentials !== null && (
          <button
            type="button"
            onClick={() => {
              setCredentials(null);
              setError(null);
            }}
          >
            Back
          </button>
        )}
      </form>
    </main>
  );
}
