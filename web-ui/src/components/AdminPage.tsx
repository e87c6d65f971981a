import { useCallback, useState, type SubmitEvent } from 'react';
import type { Role, User, UserChanges, Workspace } from '../api/types';
import { api } from '../backend';
import { useAction, useLoader, usePolling } from '../hooks';
import { SessionItem } from './SessionItem';
import { ConfirmButton, ErrorText, formatTime, StateBadge, textField } from './ui';

const SESSIONS_POLL_MS = 5_000;

/**
 * User management and everyone's sessions and workspaces. Reaching it is a convenience for admins; the server
 * answers 403 to others.
 */
export function AdminPage({ currentUserId }: { currentUserId: string }) {
  const load = useCallback(() => api.users(), []);
  const users = useLoader(load);
  const [creating, setCreating] = useState(false);

  const replace = (updated: User) => {
    users.setData((current) => current?.map((user) => (user.id === updated.id ? updated : user)));
  };

  return (
    <section className="page">
      <div className="page__title">
        <h1>Users</h1>
        {!creating && (
          <button
            type="button"
            className="primary"
            data-testid="new-user"
            onClick={() => {
              setCreating(true);
            }}
          >
            New user
          </button>
        )}
      </div>
      {creating && (
        <NewUserForm
          onDone={() => {
            setCreating(false);
            void users.reload();
          }}
        />
      )}
      <ErrorText error={users.error} />
      <ul className="list" data-testid="users">
        {users.data?.map((user) => (
          <UserItem
            key={user.id}
            user={user}
            isCurrentUser={user.id === currentUserId}
            onChange={replace}
          />
        ))}
      </ul>
      <EveryonesWork users={users.data ?? []} currentUserId={currentUserId} />
    </section>
  );
}

/**
 * Every user's sessions (live ones first) and workspaces: an admin can stop or delete any session,
 * and delete a workspace once it has none.
 */
function EveryonesWork({ users, currentUserId }: { users: User[]; currentUserId: string }) {
  const load = useCallback(
    () => Promise.all([api.everyonesSessions(), api.everyonesWorkspaces()]),
    [],
  );
  const loaded = useLoader(load);
  // Sessions start, stop and end without this page doing anything.
  usePolling(true, loaded.reload, SESSIONS_POLL_MS);
  const [sessions, workspaces] = loaded.data ?? [[], []];
  const userName = new Map(users.map((user) => [user.id, user.username]));
  const ownerOf = (ownerId: string) => ({
    name: userName.get(ownerId) ?? ownerId,
    isViewer: ownerId === currentUserId,
  });
  const workspaceName = new Map(workspaces.map((workspace) => [workspace.id, workspace.name]));
  const live = (state: string) => (state === 'idle' ? 1 : 0);
  const ordered = [...sessions].sort((a, b) => live(a.state) - live(b.state));

  return (
    <>
      <div className="page__title">
        <h2>Sessions</h2>
      </div>
      <ErrorText error={loaded.error} />
      {loaded.data !== undefined && sessions.length === 0 && (
        <p className="muted">Nobody has a session.</p>
      )}
      <ul className="list" data-testid="everyones-sessions">
        {ordered.map((session) => (
          <SessionItem
            key={session.id}
            session={session}
            onChange={loaded.reload}
            owner={ownerOf(session.ownerId)}
            workspaceName={workspaceName.get(session.workspaceId) ?? session.workspaceId}
          />
        ))}
      </ul>
      <div className="page__title">
        <h2>Workspaces</h2>
      </div>
      <ul className="list" data-testid="everyones-workspaces">
        {workspaces.map((workspace) => (
          <WorkspaceRow
            key={workspace.id}
            workspace={workspace}
            owner={ownerOf(workspace.ownerId)}
            sessions={sessions.filter((session) => session.workspaceId === workspace.id).length}
            onChange={loaded.reload}
          />
        ))}
      </ul>
    </>
  );
}

function WorkspaceRow({
  workspace,
  owner,
  sessions,
  onChange,
}: {
  workspace: Workspace;
  owner: { name: string; isViewer: boolean };
  sessions: number;
  onChange: () => Promise<void>;
}) {
  const { busy, error, run } = useAction();
  return (
    <li className="list__item" data-testid="workspace" data-workspace-id={workspace.id}>
      <div className="list__main">
        <span className="list__name">{workspace.name}</span>
        <StateBadge state={workspace.state} />
        <span className="badge" data-testid="workspace-owner">
          {owner.isViewer ? 'you' : owner.name}
        </span>
      </div>
      <p className="list__detail muted">
        {workspace.slug} · {sessions === 1 ? '1 session' : `${sessions} sessions`} · created{' '}
        {formatTime(workspace.createdAt)}
      </p>
      {/* The server refuses while it has sessions or is still being cloned. */}
      {sessions === 0 && workspace.state !== 'cloning' && (
        <div className="actions">
          <ConfirmButton
            confirmLabel="Delete workspace and its files"
            disabled={busy}
            testId="delete-workspace"
            onConfirm={() => {
              void run(async () => {
                await api.deleteWorkspace(workspace.id);
                await onChange();
              });
            }}
          >
            Delete
          </ConfirmButton>
        </div>
      )}
      <ErrorText error={error} />
    </li>
  );
}

function UserItem({
  user,
  isCurrentUser,
  onChange,
}: {
  user: User;
  isCurrentUser: boolean;
  onChange: (user: User) => void;
}) {
  const { busy, error, run } = useAction();
  const [resetting, setResetting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  function update(changes: UserChanges) {
    setNotice(null);
    void run(async () => {
      onChange(await api.updateUser(user.id, changes));
    });
  }

  function resetPassword(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const newPassword = textField(new FormData(event.currentTarget), 'newPassword');
    void run(async () => {
      await api.resetPassword(user.id, newPassword);
      setResetting(false);
      setNotice('Password reset; their logins have been ended.');
    });
  }

  return (
    <li className="list__item" data-testid="user" data-username={user.username}>
      <div className="list__main">
        <span className="list__name">{user.username}</span>
        {user.displayName !== null && <span className="muted">{user.displayName}</span>}
        {isCurrentUser && <span className="badge">you</span>}
        {!user.active && <span className="badge badge--error">deactivated</span>}
      </div>
      <p className="list__detail muted">
        two-factor {user.totpEnabled ? 'on' : 'off'} · created {formatTime(user.createdAt)}
      </p>
      <div className="actions">
        <label className="inline-label">
          Role
          <select
            value={user.role}
            disabled={busy}
            data-testid="user-role"
            onChange={(event) => {
              update({ role: event.currentTarget.value as Role });
            }}
          >
            <option value="user">user</option>
            <option value="admin">admin</option>
          </select>
        </label>
        {user.active ? (
          // Deactivating logs the user out everywhere and stops every process of theirs.
          <ConfirmButton
            confirmLabel="Deactivate: log out and stop their sessions"
            disabled={busy}
            testId="user-active"
            onConfirm={() => {
              update({ active: false });
            }}
          >
            Deactivate
          </ConfirmButton>
        ) : (
          <button
            type="button"
            disabled={busy}
            data-testid="user-active"
            onClick={() => {
              update({ active: true });
            }}
          >
            Activate
          </button>
        )}
        {!resetting && (
          <button
            type="button"
            disabled={busy}
            data-testid="user-reset-password"
            onClick={() => {
              setResetting(true);
            }}
          >
            Reset password
          </button>
        )}
      </div>
      {resetting && (
        <form className="form form--inline" onSubmit={resetPassword}>
          <label>
            New password
            <input
              name="newPassword"
              type="password"
              autoComplete="new-password"
              minLength={10}
              required
            />
          </label>
          <div className="form__actions">
            <button type="submit" className="primary" disabled={busy}>
              Set password
            </button>
            <button
              type="button"
              onClick={() => {
                setResetting(false);
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      )}
      <ErrorText error={error} />
      {notice !== null && <p className="success">{notice}</p>}
    </li>
  );
}

function NewUserForm({ onDone }: { onDone: () => void }) {
  const { busy, error, run } = useAction();

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const displayName = textField(form, 'displayName').trim();
    void run(async () => {
      await api.createUser({
        username: textField(form, 'username').trim(),
        password: textField(form, 'password'),
        role: textField(form, 'role') === 'admin' ? 'admin' : 'user',
        ...(displayName === '' ? {} : { displayName }),
      });
      onDone();
    });
  }

  return (
    <form className="card form" data-testid="user-form" onSubmit={submit}>
      <h2>New user</h2>
      <label>
        Username <span className="hint">a–z, 0–9, . _ -</span>
        <input
          name="username"
          required
          maxLength={64}
          pattern="[a-z0-9][a-z0-9._\-]*"
          autoCapitalize="none"
          autoComplete="off"
          autoFocus
        />
      </label>
      <label>
        Display name <span className="hint">optional</span>
        <input name="displayName" maxLength={255} />
      </label>
      <label>
        Password <span className="hint">10 characters or more; tell it to them safely</span>
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={10}
          required
        />
      </label>
      <label>
        Role
        <select name="role" defaultValue="user">
          <option value="user">user</option>
          <option value="admin">admin</option>
        </select>
      </label>
      <ErrorText error={error} />
      <div className="form__actions">
        <button type="submit" className="primary" disabled={busy}>
          Create user
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
