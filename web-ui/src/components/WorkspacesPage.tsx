import { useCallback, useState, type SubmitEvent } from 'react';
import type { NewWorkspace, Session, Workspace } from '../api/types';
import { api } from '../backend';
import { useAction, useLoader, usePolling } from '../hooks';
import { navigate, routeHash } from '../routes';
import { ErrorText, StateBadge, textField } from './ui';

const CLONE_POLL_MS = 2_000;

/** The user's workspaces, each with how many sessions it has, and the form for a new one. */
export function WorkspacesPage() {
  const load = useCallback(async () => {
    const [workspaces, sessions] = await Promise.all([api.workspaces(), api.sessions()]);
    return { workspaces, sessions };
  }, []);
  const { data, error, reload } = useLoader(load);
  const [creating, setCreating] = useState(false);
  usePolling(
    data?.workspaces.some((workspace) => workspace.state === 'cloning') ?? false,
    reload,
    CLONE_POLL_MS,
  );

  return (
    <section className="page">
      <div className="page__title">
        <h1>Workspaces</h1>
        {!creating && (
          <button
            type="button"
            className="primary"
            data-testid="new-workspace"
            onClick={() => {
              setCreating(true);
            }}
          >
            New workspace
          </button>
        )}
      </div>
      {creating && (
        <NewWorkspaceForm
          onCancel={() => {
            setCreating(false);
          }}
        />
      )}
      <ErrorText error={error} />
      {data?.workspaces.length === 0 && !creating && (
        <p className="muted">
          No workspaces yet. A workspace is a folder on the server, empty or cloned from git, where
          your sessions run.
        </p>
      )}
      <ul className="list" data-testid="workspaces">
        {data?.workspaces.map((workspace) => (
          <WorkspaceItem
            key={workspace.id}
            workspace={workspace}
            sessions={data.sessions.filter((session) => session.workspaceId === workspace.id)}
          />
        ))}
      </ul>
    </section>
  );
}

function WorkspaceItem({ workspace, sessions }: { workspace: Workspace; sessions: Session[] }) {
  const running = sessions.filter((session) => session.state === 'running').length;
  return (
    <li className="list__item" data-testid="workspace" data-workspace-id={workspace.id}>
      <div className="list__main">
        <a
          className="list__name"
          href={routeHash({ page: 'workspace', workspaceId: workspace.id })}
          data-testid="workspace-link"
        >
          {workspace.name}
        </a>
        <StateBadge state={workspace.state} />
      </div>
      {workspace.description !== null && workspace.description !== '' && (
        <p className="list__detail">{workspace.description}</p>
      )}
      {workspace.gitUrl !== null && (
        <p className="list__detail muted">
          {workspace.gitUrl}
          {workspace.branch !== null && ` · ${workspace.branch}`}
        </p>
      )}
      {workspace.state === 'error' && <ErrorText error={workspace.error} />}
      <p className="list__detail muted">
        {sessions.length === 1 ? '1 session' : `${sessions.length} sessions`}
        {running > 0 && ` · ${running} running`}
      </p>
    </li>
  );
}

function NewWorkspaceForm({ onCancel }: { onCancel: () => void }) {
  const { busy, error, run } = useAction();

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const workspace: NewWorkspace = { name: textField(form, 'name').trim() };
    const slug = textField(form, 'slug').trim();
    const description = textField(form, 'description').trim();
    const gitUrl = textField(form, 'gitUrl').trim();
    const branch = textField(form, 'branch').trim();
    if (slug !== '') workspace.slug = slug;
    if (description !== '') workspace.description = description;
    if (gitUrl !== '') workspace.gitUrl = gitUrl;
    if (gitUrl !== '' && branch !== '') workspace.branch = branch;
    void run(async () => {
      const created = await api.createWorkspace(workspace);
      navigate({ page: 'workspace', workspaceId: created.id });
    });
  }

  return (
    <form className="card form" data-testid="workspace-form" onSubmit={submit}>
      <h2>New workspace</h2>
      <label>
        Name
        <input name="name" required maxLength={100} autoFocus data-testid="workspace-name" />
      </label>
      <label>
        Folder name <span className="hint">optional; made from the name when empty</span>
        <input
          name="slug"
          maxLength={63}
          pattern="[a-z0-9][a-z0-9\-]*"
          title="a–z, 0–9 and -, starting with a letter or digit"
          autoCapitalize="none"
        />
      </label>
      <label>
        Description <span className="hint">optional</span>
        <input name="description" maxLength={2000} />
      </label>
      <label>
        Git repository <span className="hint">optional; empty makes an empty folder</span>
        <input
          name="gitUrl"
          type="url"
          inputMode="url"
          placeholder="https://github.com/owner/repo.git"
          pattern="https://.*"
          title="An https:// URL without credentials"
          autoCapitalize="none"
          data-testid="workspace-git-url"
        />
      </label>
      <label>
        Branch <span className="hint">optional; the default branch when empty</span>
        <input name="branch" autoCapitalize="none" />
      </label>
      <ErrorText error={error} />
      <div className="form__actions">
        <button type="submit" className="primary" disabled={busy} data-testid="create-workspace">
          {busy ? 'Creating…' : 'Create'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
