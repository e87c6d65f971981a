import { useCallback, useState, type SubmitEvent } from 'react';
import type { Workspace } from '../api/types';
import { api } from '../backend';
import { useAction, useLoader, usePolling, useProfiles } from '../hooks';
import { navigate, routeHash } from '../routes';
import { SessionItem } from './SessionItem';
import { ConfirmButton, ErrorText, formatTime, StateBadge, textField } from './ui';

const POLL_MS = 2_000;

/** One workspace: its details, editing and deletion, and its sessions. */
export function WorkspacePage({ workspaceId }: { workspaceId: string }) {
  const loadWorkspace = useCallback(() => api.workspace(workspaceId), [workspaceId]);
  const loadSessions = useCallback(() => api.sessions(workspaceId), [workspaceId]);
  const workspace = useLoader(loadWorkspace);
  const sessions = useLoader(loadSessions);
  usePolling(workspace.data?.state === 'cloning', workspace.reload, POLL_MS);
  usePolling(
    sessions.data?.some(
      (session) => session.state === 'starting' || session.state === 'stopping',
    ) ?? false,
    sessions.reload,
    POLL_MS,
  );

  return (
    <section className="page">
      <a className="back" href={routeHash({ page: 'workspaces' })}>
        ← Workspaces
      </a>
      <ErrorText error={workspace.error} />
      {workspace.data !== undefined && (
        <WorkspaceDetails workspace={workspace.data} onChange={workspace.setData} />
      )}
      {/* A workspace that does not load has no sessions to show either. */}
      {workspace.error === null && (
        <>
          <div className="page__title">
            <h2>Sessions</h2>
          </div>
          <ErrorText error={sessions.error} />
          {sessions.data?.length === 0 && (
            <p className="muted">
              No sessions yet. A session runs a shell or an agent in this folder.
            </p>
          )}
          <ul className="list" data-testid="sessions">
            {sessions.data?.map((session) => (
              <SessionItem key={session.id} session={session} onChange={sessions.reload} />
            ))}
          </ul>
          {/* Sessions run only in a ready folder; the server answers 409 otherwise. */}
          {workspace.data?.state === 'ready' && (
            <NewSessionForm workspaceId={workspaceId} onCreated={sessions.reload} />
          )}
        </>
      )}
    </section>
  );
}

function WorkspaceDetails({
  workspace,
  onChange,
}: {
  workspace: Workspace;
  onChange: (workspace: Workspace) => void;
}) {
  const [editing, setEditing] = useState(false);
  const { busy, error, run } = useAction();

  function save(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void run(async () => {
      onChange(
        await api.updateWorkspace(workspace.id, {
          name: textField(form, 'name').trim(),
          description: textField(form, 'description').trim(),
        }),
      );
      setEditing(false);
    });
  }

  function retry() {
    void run(async () => {
      onChange(await api.retryWorkspace(workspace.id));
    });
  }

  function remove() {
    void run(async () => {
      await api.deleteWorkspace(workspace.id);
      navigate({ page: 'workspaces' });
    });
  }

  if (editing) {
    return (
      <form className="card form" data-testid="workspace-edit-form" onSubmit={save}>
        <label>
          Name
          <input name="name" required maxLength={100} defaultValue={workspace.name} />
        </label>
        <label>
          Description
          <input name="description" maxLength={2000} defaultValue={workspace.description ?? ''} />
        </label>
        <ErrorText error={error} />
        <div className="form__actions">
          <button type="submit" className="primary" disabled={busy}>
            Save
          </button>
          <button
            type="button"
            onClick={() => {
              setEditing(false);
            }}
          >
            Cancel
          </button>
        </div>
      </form>
    );
  }

  return (
    <div className="details" data-testid="workspace-details">
      <div className="page__title">
        <h1>{workspace.name}</h1>
        <StateBadge state={workspace.state} />
      </div>
      {workspace.description !== null && workspace.description !== '' && (
        <p>{workspace.description}</p>
      )}
      <dl className="facts">
        <dt>Folder</dt>
        <dd>{workspace.slug}</dd>
        {workspace.gitUrl !== null && (
          <>
            <dt>Git repository</dt>
            <dd>
              {workspace.gitUrl}
              {workspace.branch !== null && ` (${workspace.branch})`}
            </dd>
          </>
        )}
        <dt>Created</dt>
        <dd>{formatTime(workspace.createdAt)}</dd>
      </dl>
      {workspace.state === 'cloning' && (
        <p className="muted">
          Cloning… this page updates itself; sessions can start once it is done.
        </p>
      )}
      {workspace.state === 'error' && (
        <>
          <ErrorText error={workspace.error ?? 'The clone failed.'} />
          <p className="muted">
            Clone it again once the repository is reachable (what the failed clone left is deleted
            first), or delete the workspace.
          </p>
        </>
      )}
      <div className="actions">
        {workspace.state === 'error' && workspace.gitUrl !== null && (
          <button type="button" disabled={busy} data-testid="retry-clone" onClick={retry}>
            Clone again
          </button>
        )}
        {workspace.state !== 'error' && (
          <button
            type="button"
            data-testid="edit-workspace"
            onClick={() => {
              setEditing(true);
            }}
          >
            Edit
          </button>
        )}
        <ConfirmButton
          confirmLabel="Delete workspace and its files"
          onConfirm={remove}
          disabled={busy}
          testId="delete-workspace"
        >
          Delete
        </ConfirmButton>
      </div>
      <ErrorText error={error} />
    </div>
  );
}

function NewSessionForm({
  workspaceId,
  onCreated,
}: {
  workspaceId: string;
  onCreated: () => Promise<void>;
}) {
  const { busy, error, run } = useAction();
  const profiles = useProfiles();

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const profile = textField(form, 'profile');
    void run(async () => {
      await api.createSession(workspaceId, textField(form, 'name').trim(), profile || 'shell');
      formElement.reset();
      await onCreated();
    });
  }

  return (
    <form className="card form form--inline" data-testid="session-form" onSubmit={submit}>
      <h3>New session</h3>
      <label>
        Name
        <input name="name" required maxLength={100} data-testid="session-name" />
      </label>
      <label>
        Runs
        <select name="profile" defaultValue="shell" data-testid="session-profile">
          {(profiles.data ?? [{ name: 'shell', label: 'Shell' }]).map((profile) => (
            <option key={profile.name} value={profile.name}>
              {profile.label}
            </option>
          ))}
        </select>
      </label>
      <ErrorText error={profiles.error ?? error} />
      <div className="form__actions">
        <button type="submit" className="primary" disabled={busy} data-testid="create-session">
          {busy ? 'Creating…' : 'Create session'}
        </button>
      </div>
    </form>
  );
}
