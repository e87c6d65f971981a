import { useEffect, useSyncExternalStore } from 'react';
import type { User } from './api/types';
import { useActivityStream } from './activity/live';
import { auth } from './backend';
import { AccountPage } from './components/AccountPage';
import { AdminPage } from './components/AdminPage';
import { Layout } from './components/Layout';
import { LoginPage } from './components/LoginPage';
import { Notices } from './components/Notices';
import { SessionPage } from './components/SessionPage';
import { WorkspacePage } from './components/WorkspacePage';
import { WorkspacesPage } from './components/WorkspacesPage';
import { routeHash, useRoute } from './routes';

export function App() {
  const state = useSyncExternalStore(auth.subscribe, auth.getState);

  useEffect(() => {
    void auth.restore();
  }, []);

  switch (state.kind) {
    case 'restoring':
      return (
        <main className="splash" data-testid="restoring">
          <p>{state.problem ?? 'Logging you back in…'}</p>
        </main>
      );
    case 'anonymous':
      return <LoginPage notice={state.notice} />;
    case 'authenticated':
      return <LoggedIn user={state.user} />;
  }
}

/** The page the route names, with the notices that agents wait, over every page. */
function LoggedIn({ user }: { user: User }) {
  useActivityStream();
  return (
    <>
      <Page user={user} />
      <Notices />
    </>
  );
}

function Page({ user }: { user: User }) {
  const route = useRoute();
  switch (route.page) {
    case 'session':
      // The terminal takes the whole screen; its own bar leads back.
      return <SessionPage key={route.sessionId} sessionId={route.sessionId} tab={route.tab} />;
    case 'workspaces':
      return (
        <Layout user={user}>
          <WorkspacesPage />
        </Layout>
      );
    case 'workspace':
      return (
        <Layout user={user}>
          <WorkspacePage key={route.workspaceId} workspaceId={route.workspaceId} />
        </Layout>
      );
    case 'account':
      return (
        <Layout user={user}>
          <AccountPage user={user} />
        </Layout>
      );
    case 'admin':
      return (
        <Layout user={user}>
          <AdminPage currentUserId={user.id} />
        </Layout>
      );
    case 'not-found':
      return (
        <Layout user={user}>
          <section className="page" data-testid="not-found">
            <h1>Not found</h1>
            <p className="muted">
              Nothing lives at <code>{route.hash}</code>.{' '}
              <a href={routeHash({ page: 'workspaces' })}>Go to your workspaces</a>.
            </p>
          </section>
        </Layout>
      );
  }
}
