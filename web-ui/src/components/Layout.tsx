import type { ReactNode } from 'react';
import type { User } from '../api/types';
import { auth } from '../backend';
import { routeHash, useRoute } from '../routes';

/** The header with navigation around every page but the terminal. */
export function Layout({ user, children }: { user: User; children: ReactNode }) {
  const page = useRoute().page;
  const current = (pages: string[]) => (pages.includes(page) ? 'page' : undefined);
  return (
    <div className="layout">
      <header className="layout__header">
        <a className="layout__brand" href={routeHash({ page: 'workspaces' })}>
          Claude Code Cloud
        </a>
        <nav className="layout__nav">
          <a
            href={routeHash({ page: 'workspaces' })}
            aria-current={current(['workspaces', 'workspace'])}
            data-testid="nav-workspaces"
          >
            Workspaces
          </a>
          <a
            href={routeHash({ page: 'account' })}
            aria-current={current(['account'])}
            data-testid="nav-account"
          >
            Account
          </a>
          {/* Only a convenience: the server answers 403 to anyone else on /api/users. */}
          {user.role === 'admin' && (
            <a
              href={routeHash({ page: 'admin' })}
              aria-current={current(['admin'])}
              data-testid="nav-admin"
            >
              Admin
            </a>
          )}
        </nav>
        <span className="layout__user" data-testid="current-user">
          {user.displayName ?? user.username}
        </span>
        <button type="button" data-testid="logout" onClick={() => void auth.logout()}>
          Log out
        </button>
      </header>
      <main className="layout__main">{children}</main>
    </div>
  );
}
