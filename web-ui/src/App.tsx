import { useCallback, useState } from 'react';
import { LoginPage } from './components/LoginPage';
import { TerminalPage } from './components/TerminalPage';
import { session } from './session';

export function App() {
  const [accessToken, setAccessToken] = useState(session.accessToken);
  const [loginNotice, setLoginNotice] = useState<string | null>(null);

  const logIn = useCallback((token: string) => {
    session.saveAccessToken(token);
    setLoginNotice(null);
    setAccessToken(token);
  }, []);

  const logOut = useCallback(() => {
    session.clearAccessToken();
    setAccessToken(null);
  }, []);

  const sessionExpired = useCallback(() => {
    session.clearAccessToken();
    setLoginNotice('Your session has expired. Please log in again.');
    setAccessToken(null);
  }, []);

  if (accessToken === null) return <LoginPage onLoggedIn={logIn} notice={loginNotice} />;
  return (
    <TerminalPage accessToken={accessToken} onUnauthorized={sessionExpired} onLogout={logOut} />
  );
}
