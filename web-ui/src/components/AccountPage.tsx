import QRCode from 'qrcode';
import { useCallback, useEffect, useState, type SubmitEvent } from 'react';
import type { PersonalAccessToken, ProfileOption, TotpEnrolment, User } from '../api/types';
import { api, auth } from '../backend';
import { useAction, useLoader } from '../hooks';
import { ConfirmButton, CopyButton, ErrorText, formatTime, SecretField, textField } from './ui';
import { NotificationsSection } from './NotificationsSection';

/** Limits from docs/api.md, as hints; the server checks them. */
const PASSWORD_MIN = 10;
const PASSWORD_MAX = 1024;
const TOKEN_DAYS_DEFAULT = 90;
const TOKEN_DAYS_MAX = 365;

export function AccountPage({ user }: { user: User }) {
  return (
    <section className="page">
      <h1>Account</h1>
      <ProfileSection user={user} />
      <PasswordSection />
      <TwoFactorSection user={user} />
      <ApiKeysSection />
      <AgentArgumentsSection />
      <NotificationsSection />
      <TokensSection />
    </section>
  );
}

function ProfileSection({ user }: { user: User }) {
  const { busy, error, run } = useAction();
  const [saved, setSaved] = useState(false);

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setSaved(false);
    void run(async () => {
      auth.updateUser(await api.updateMe({ displayName: textField(form, 'displayName').trim() }));
      setSaved(true);
    });
  }

  return (
    <form className="card form" onSubmit={submit}>
      <h2>Profile</h2>
      <p className="muted">
        Logged in as <strong>{user.username}</strong> ({user.role}).
      </p>
      <label>
        Display name
        <input name="displayName" required maxLength={255} defaultValue={user.displayName ?? ''} />
      </label>
      <ErrorText error={error} />
      {saved && <p className="success">Saved.</p>}
      <div className="form__actions">
        <button type="submit" disabled={busy}>
          Save
        </button>
      </div>
    </form>
  );
}

function PasswordSection() {
  const { busy, error, run } = useAction();
  const [mismatch, setMismatch] = useState(false);
  const [changed, setChanged] = useState(false);

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const newPassword = textField(form, 'newPassword');
    // A typing check for the user's sake; the server applies the real rules.
    setMismatch(newPassword !== textField(form, 'repeatPassword'));
    setChanged(false);
    if (newPassword !== textField(form, 'repeatPassword')) return;
    void run(async () => {
      await api.changePassword(textField(form, 'currentPassword'), newPassword);
      formElement.reset();
      setChanged(true);
    });
  }

  return (
    <form className="card form" data-testid="password-form" onSubmit={submit}>
      <h2>Password</h2>
      <label>
        Current password
        <input name="currentPassword" type="password" autoComplete="current-password" required />
      </label>
      <label>
        New password <span className="hint">{PASSWORD_MIN} characters or more</span>
        <input
          name="newPassword"
          type="password"
          autoComplete="new-password"
          minLength={PASSWORD_MIN}
          maxLength={PASSWORD_MAX}
          required
        />
      </label>
      <label>
        New password again
        <input name="repeatPassword" type="password" autoComplete="new-password" required />
      </label>
      {mismatch && <ErrorText error="The new passwords differ." />}
      <ErrorText error={error} />
      {changed && (
        <p className="success">Password changed. Your logins on other devices have been ended.</p>
      )}
      <div className="form__actions">
        <button type="submit" disabled={busy}>
          Change password
        </button>
      </div>
    </form>
  );
}

function TwoFactorSection({ user }: { user: User }) {
  const { busy, error, run } = useAction();
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [backupCodes, setBackupCodes] = useState<string[] | null>(null);

  function start() {
    void run(async () => {
      setEnrolment(await api.startTotp());
    });
  }

  function confirm(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = textField(new FormData(event.currentTarget), 'code').replaceAll(' ', '');
    void run(async () => {
      const { backupCodes: codes } = await api.confirmTotp(code);
      setEnrolment(null);
      setBackupCodes(codes);
      auth.updateUser(await api.me());
    });
  }

  function disable(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void run(async () => {
      await api.disableTotp(
        textField(form, 'password'),
        textField(form, 'code').replaceAll(' ', ''),
      );
      auth.updateUser(await api.me());
    });
  }

  return (
    <div className="card form" data-testid="two-factor">
      <h2>Two-factor login</h2>
      {backupCodes !== null ? (
        <BackupCodes
          codes={backupCodes}
          onDone={() => {
            setBackupCodes(null);
          }}
        />
      ) : enrolment !== null ? (
        <form className="form" onSubmit={confirm}>
          <p>
            Scan this code with an authenticator app, or type the key into it, then enter the
            6-digit code it shows.
          </p>
          <QrCode text={enrolment.otpauthUri} />
          <SecretField value={enrolment.secret} testId="totp-secret" />
          <label>
            Code
            <input
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              data-testid="totp-code"
            />
          </label>
          <ErrorText error={error} />
          <div className="form__actions">
            <button type="submit" className="primary" disabled={busy} data-testid="totp-confirm">
              Turn on
            </button>
            <button
              type="button"
              onClick={() => {
                setEnrolment(null);
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      ) : user.totpEnabled ? (
        <form className="form" onSubmit={disable}>
          <p>
            Two-factor login is <strong>on</strong>. To turn it off, confirm with your password and
            a code.
          </p>
          <label>
            Password
            <input name="password" type="password" autoComplete="current-password" required />
          </label>
          <label>
            Code <span className="hint">or a backup code</span>
            <input name="code" inputMode="numeric" autoComplete="one-time-code" required />
          </label>
          <ErrorText error={error} />
          <div className="form__actions">
            <button type="submit" className="danger" disabled={busy} data-testid="totp-disable">
              Turn off
            </button>
          </div>
        </form>
      ) : (
        <>
          <p>
            Two-factor login is <strong>off</strong>. With it on, logging in also asks for a code
            from an authenticator app on your phone.
          </p>
          <ErrorText error={error} />
          <div className="form__actions">
            <button type="button" disabled={busy} data-testid="totp-enable" onClick={start}>
              Set up two-factor login
            </button>
          </div>
        </>
      )}
    </div>
  );
}

/** The otpauth URI as a QR code, drawn in the browser: the secret never goes to a third party. */
function QrCode({ text }: { text: string }) {
  const [image, setImage] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    QRCode.toDataURL(text, { margin: 2, width: 220 }).then(
      (url) => {
        if (current) setImage(url);
      },
      (error: unknown) => {
        console.warn('Cannot draw the QR code', error);
      },
    );
    return () => {
      current = false;
    };
  }, [text]);

  if (image === null) return null;
  return <img className="qr" src={image} alt="QR code for the authenticator app" width={220} />;
}

function BackupCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <div className="form">
      <p className="success">Two-factor login is on.</p>
      <p>
        These backup codes each work once if you lose your phone. Keep them somewhere safe:{' '}
        <strong>they are shown only now.</strong>
      </p>
      <ol className="backup-codes" data-testid="backup-codes">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
      <div className="form__actions">
        <CopyButton text={codes.join('\n')} />
        <button type="button" className="primary" onClick={onDone}>
          I have saved them
        </button>
      </div>
    </div>
  );
}

/** Variable names the server takes for keys: upper case, as docs/api.md says. */
const KEY_NAME = '[A-Z][A-Z0-9_]{0,63}';

function ApiKeysSection() {
  const load = useCallback(() => Promise.all([api.credentials(), api.profiles()]), []);
  const keys = useLoader(load);
  const { busy, error, run } = useAction();
  const [credentials, profiles] = keys.data ?? [undefined, []];
  const suggested = [...new Set(profiles.flatMap((profile) => profile.secrets))];

  function save(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    void run(async () => {
      await api.setCredential(
        textField(form, 'name').trim(),
        textField(form, 'value'),
        form.get('inShells') === 'on',
      );
      formElement.reset();
      await keys.reload();
    });
  }

  function remove(name: string) {
    void run(async () => {
      await api.deleteCredential(name);
      await keys.reload();
    });
  }

  return (
    <div className="card form" data-testid="api-keys">
      <h2>API keys</h2>
      <p className="muted">
        Your own keys for your agents (Claude Code reads <code>ANTHROPIC_API_KEY</code>, Codex{' '}
        <code>OPENAI_API_KEY</code>). They are stored encrypted, never shown again, and put only in
        your own terminals of the agents that take them, from their next launch on.
      </p>
      <ErrorText error={keys.error ?? error} />
      {credentials?.length === 0 && <p className="muted">No keys yet.</p>}
      <ul className="list">
        {credentials?.map((credential) => (
          <li key={credential.name} className="list__item" data-testid="api-key">
            <div className="list__main">
              <code className="list__name">{credential.name}</code>
              <span className="muted">…{credential.lastFour}</span>
              {credential.inShells && <span className="badge">every tab</span>}
            </div>
            <p className="list__detail muted">set {formatTime(credential.updatedAt)}</p>
            <div className="actions">
              <ConfirmButton
                confirmLabel="Delete key"
                disabled={busy}
                testId="delete-api-key"
                onConfirm={() => {
                  remove(credential.name);
                }}
              >
                Delete
              </ConfirmButton>
            </div>
          </li>
        ))}
      </ul>
      <form className="form form--inline" onSubmit={save}>
        <label>
          Variable
          <input
            name="name"
            required
            pattern={KEY_NAME}
            list="api-key-names"
            autoComplete="off"
            data-testid="api-key-name"
          />
          <datalist id="api-key-names">
            {suggested.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
        </label>
        <label>
          Key
          <input
            name="value"
            type="password"
            required
            autoComplete="off"
            data-testid="api-key-value"
          />
        </label>
        <label className="checkbox">
          <input name="inShells" type="checkbox" /> In every tab, shells too
        </label>
        <div className="form__actions">
          <button type="submit" disabled={busy} data-testid="save-api-key">
            Save key
          </button>
        </div>
      </form>
    </div>
  );
}

/** How people read an option: `--model <value>` or `--verbose`. */
function describeOption(option: ProfileOption): string {
  return option.values === undefined ? option.name : `${option.name} <${option.values}>`;
}

function AgentArgumentsSection() {
  const load = useCallback(() => Promise.all([api.profileArguments(), api.profiles()]), []);
  const loaded = useLoader(load);
  const { busy, error, run } = useAction();
  const [current, profiles] = loaded.data ?? [[], []];
  const configurable = profiles.filter((profile) => profile.options.length > 0);

  function save(event: SubmitEvent<HTMLFormElement>, profile: string) {
    event.preventDefault();
    const words = textField(new FormData(event.currentTarget), 'arguments')
      .split(/\s+/)
      .filter((word) => word !== '');
    void run(async () => {
      await (words.length === 0
        ? api.deleteProfileArguments(profile)
        : api.setProfileArguments(profile, words));
      await loaded.reload();
    });
  }

  return (
    <div className="card form" data-testid="agent-arguments">
      <h2>Agent options</h2>
      <p className="muted">
        Extra arguments for your own agents, from their next launch on: only the options each
        allows.
      </p>
      <ErrorText error={loaded.error ?? error} />
      {configurable.map((profile) => (
        <form
          key={profile.name}
          className="form form--inline"
          onSubmit={(event) => {
            save(event, profile.name);
          }}
        >
          <label>
            {profile.label}
            <input
              name="arguments"
              autoComplete="off"
              spellCheck={false}
              defaultValue={
                current.find((entry) => entry.profile === profile.name)?.arguments.join(' ') ?? ''
              }
              placeholder={profile.options.map(describeOption).join(' ')}
              data-testid={`agent-arguments-${profile.name}`}
            />
          </label>
          <p className="list__detail muted">
            Allowed: <code>{profile.options.map(describeOption).join(', ')}</code>
          </p>
          <div className="form__actions">
            <button
              type="submit"
              disabled={busy}
              data-testid={`save-agent-arguments-${profile.name}`}
            >
              Save
            </button>
          </div>
        </form>
      ))}
    </div>
  );
}

function TokensSection() {
  const load = useCallback(() => api.tokens(), []);
  const tokens = useLoader(load);
  const { busy, error, run } = useAction();
  const [created, setCreated] = useState<PersonalAccessToken | null>(null);

  function create(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    void run(async () => {
      setCreated(
        await api.createToken(textField(form, 'name').trim(), Number(textField(form, 'days'))),
      );
      formElement.reset();
      await tokens.reload();
    });
  }

  function revoke(tokenId: string) {
    void run(async () => {
      await api.revokeToken(tokenId);
      await tokens.reload();
    });
  }

  return (
    <div className="card form" data-testid="tokens">
      <h2>Personal access tokens</h2>
      <p className="muted">
        For scripts: send one as <code>Authorization: Bearer …</code> to the REST API.
      </p>
      {typeof created?.token === 'string' && (
        <div className="notice" data-testid="new-token">
          <p>
            Your new token <strong>{created.name}</strong>. Copy it now:{' '}
            <strong>it is shown only once.</strong>
          </p>
          <SecretField value={created.token} testId="new-token-value" />
          <button
            type="button"
            onClick={() => {
              setCreated(null);
            }}
          >
            Done
          </button>
        </div>
      )}
      <ErrorText error={tokens.error ?? error} />
      {tokens.data?.length === 0 && <p className="muted">No tokens yet.</p>}
      <ul className="list">
        {tokens.data?.map((token) => (
          <li key={token.id} className="list__item" data-testid="token">
            <div className="list__main">
              <span className="list__name">{token.name}</span>
              {token.revoked && <span className="badge badge--error">revoked</span>}
            </div>
            <p className="list__detail muted">
              created {formatTime(token.createdAt)} · expires {formatTime(token.expiresAt)} · last
              used {formatTime(token.lastUsedAt)}
            </p>
            {!token.revoked && (
              <div className="actions">
                <ConfirmButton
                  confirmLabel="Revoke token"
                  disabled={busy}
                  testId="revoke-token"
                  onConfirm={() => {
                    revoke(token.id);
                  }}
                >
                  Revoke
                </ConfirmButton>
              </div>
            )}
          </li>
        ))}
      </ul>
      <form className="form form--inline" onSubmit={create}>
        <label>
          Name
          <input name="name" required maxLength={100} data-testid="token-name" />
        </label>
        <label>
          Valid for (days)
          <input
            name="days"
            type="number"
            min={1}
            max={TOKEN_DAYS_MAX}
            defaultValue={TOKEN_DAYS_DEFAULT}
            required
          />
        </label>
        <div className="form__actions">
          <button type="submit" disabled={busy} data-testid="create-token">
            Create token
          </button>
        </div>
      </form>
    </div>
  );
}
