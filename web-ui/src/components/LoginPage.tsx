import { useState, type SubmitEvent } from 'react';
import { errorMessage, login } from '../api';

interface Props {
  onLoggedIn: (accessToken: string) => void;
  /** Why the user is here again, e.g. an expired session. */
  notice: string | null;
}

export function LoginPage({ onLoggedIn, notice }: Props) {
  const [error, setError] = useState(notice);
  const [submitting, setSubmitting] = useState(false);

  async function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setSubmitting(true);
    setError(null);
    try {
      const response = await login(textField(form, 'username'), textField(form, 'password'));
      onLoggedIn(response.accessToken);
    } catch (failure) {
      setError(errorMessage(failure));
      setSubmitting(false);
    }
  }

  return (
    <main className="login">
      <form className="login__form" onSubmit={(event) => void handleSubmit(event)}>
        <h1>Claude Code Cloud</h1>
        <label>
          Username
          <input name="username" autoComplete="username" autoCapitalize="none" required autoFocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error !== null && (
          <p className="login__error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={submitting}>
          {submitting ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </main>
  );
}

function textField(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
