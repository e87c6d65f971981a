import type {
  CreatedTerminal,
  Credential,
  NotificationSettings,
  NewUser,
  NewWorkspace,
  PersonalAccessToken,
  Profile,
  ProfileArguments,
  Session,
  TerminalSize,
  TotpEnrolment,
  User,
  UserChanges,
  Workspace,
  WsTicket,
} from './types';

/** Sends an authenticated request; see AuthClient.call. */
export type AuthorizedCall = <T>(method: string, path: string, body?: unknown) => Promise<T>;

/** Every route of docs/api.md this app uses, except login, refresh and logout (AuthClient's). */
export function createApi(call: AuthorizedCall) {
  const id = encodeURIComponent;
  return {
    wsTicket: () => call<WsTicket>('POST', '/api/auth/ws-ticket'),

    me: () => call<User>('GET', '/api/me'),
    updateMe: (changes: { displayName: string }) => call<User>('PATCH', '/api/me', changes),
    changePassword: (currentPassword: string, newPassword: string) =>
      call<undefined>('POST', '/api/me/password', { currentPassword, newPassword }),
    startTotp: () => call<TotpEnrolment>('POST', '/api/me/totp'),
    confirmTotp: (code: string) =>
      call<{ backupCodes: string[] }>('POST', '/api/me/totp/confirm', { code }),
    disableTotp: (password: string, code: string) =>
      call<undefined>('POST', '/api/me/totp/disable', { password, code }),
    tokens: () => call<PersonalAccessToken[]>('GET', '/api/me/tokens'),
    createToken: (name: string, expiresInDays: number) =>
      call<PersonalAccessToken>('POST', '/api/me/tokens', { name, expiresInDays }),
    revokeToken: (tokenId: string) => call<undefined>('DELETE', `/api/me/tokens/${id(tokenId)}`),

    credentials: () => call<Credential[]>('GET', '/api/me/credentials'),
    setCredential: (name: string, value: string, inShells: boolean) =>
      call<Credential>('PUT', `/api/me/credentials/${id(name)}`, { value, inShells }),
    deleteCredential: (name: string) =>
      call<undefined>('DELETE', `/api/me/credentials/${id(name)}`),
    profiles: () => call<Profile[]>('GET', '/api/profiles'),
    profileArguments: () => call<ProfileArguments[]>('GET', '/api/me/profile-arguments'),
    setProfileArguments: (profile: string, words: string[]) =>
      call<ProfileArguments>('PUT', `/api/me/profile-arguments/${id(profile)}`, {
        arguments: words,
      }),
    deleteProfileArguments: (profile: string) =>
      call<undefined>('DELETE', `/api/me/profile-arguments/${id(profile)}`),
    notifications: () => call<NotificationSettings>('GET', '/api/me/notifications'),
    setNotifications: (settings: NotificationSettings) =>
      call<NotificationSettings>('PUT', '/api/me/notifications', settings),

    users: () => call<User[]>('GET', '/api/users'),
    createUser: (user: NewUser) => call<User>('POST', '/api/users', user),
    updateUser: (userId: string, changes: UserChanges) =>
      call<User>('PATCH', `/api/users/${id(userId)}`, changes),
    resetPassword: (userId: string, newPassword: string) =>
      call<undefined>('POST', `/api/users/${id(userId)}/password`, { newPassword }),

    workspaces: () => call<Workspace[]>('GET', '/api/workspaces'),
    /** Admins only. */
    everyonesWorkspaces: () => call<Workspace[]>('GET', '/api/workspaces?all=true'),
    workspace: (workspaceId: string) =>
      call<Workspace>('GET', `/api/workspaces/${id(workspaceId)}`),
    createWorkspace: (workspace: NewWorkspace) =>
      call<Workspace>('POST', '/api/workspaces', workspace),
    updateWorkspace: (workspaceId: string, changes: { name: string; description: string }) =>
      call<Workspace>('PATCH', `/api/workspaces/${id(workspaceId)}`, changes),
    /** Clones a workspace whose clone failed once more. */
    retryWorkspace: (workspaceId: string) =>
      call<Workspace>('POST', `/api/workspaces/${id(workspaceId)}/retry`),
    deleteWorkspace: (workspaceId: string) =>
      call<undefined>('DELETE', `/api/workspaces/${id(workspaceId)}`),

    sessions: (workspaceId?: string) =>
      call<Session[]>(
        'GET',
        workspaceId === undefined
          ? '/api/sessions'
          : `/api/sessions?workspaceId=${id(workspaceId)}`,
      ),
    /** Admins only. */
    everyonesSessions: () => call<Session[]>('GET', '/api/sessions?all=true'),
    session: (sessionId: string) => call<Session>('GET', `/api/sessions/${id(sessionId)}`),
    renameSession: (sessionId: string, name: string) =>
      call<Session>('PATCH', `/api/sessions/${id(sessionId)}`, { name }),
    /** What the session's first terminal runs; refused while it runs. */
    changeSessionProfile: (sessionId: string, profile: string) =>
      call<Session>('PATCH', `/api/sessions/${id(sessionId)}`, { profile }),
    createSession: (workspaceId: string, name: string, profile: string) =>
      call<Session>('POST', '/api/sessions', { workspaceId, name, profile }),
    deleteSession: (sessionId: string) =>
      call<undefined>('DELETE', `/api/sessions/${id(sessionId)}`),
    /** With `resume`, the session's agent continues its last conversation (a relaunch). */
    startSession: (sessionId: string, resume = false) =>
      call<Session>('POST', `/api/sessions/${id(sessionId)}/start`, { resume }),
    stopSession: (sessionId: string) =>
      call<Session>('POST', `/api/sessions/${id(sessionId)}/stop`),
    /** Ends a running tab's process, whatever runs in it; forgets an ended tab and its output. */
    closeTerminal: (sessionId: string, terminalId: string) =>
      call<undefined>('DELETE', `/api/sessions/${id(sessionId)}/terminals/${id(terminalId)}`),
    /** Names a tab for everyone who sees the session. */
    renameTerminal: (sessionId: string, terminalId: string, name: string) =>
      call<undefined>('PATCH', `/api/sessions/${id(sessionId)}/terminals/${id(terminalId)}`, {
        name,
      }),
    /**
     * Starts an ended or cold tab's profile again in it, its old output kept above a marker; with
     * `resume`, its agent continues its last conversation. A cold tab starts its session.
     */
    relaunchTerminal: (sessionId: string, terminalId: string, resume = false) =>
      call<Session>('POST', `/api/sessions/${id(sessionId)}/terminals/${id(terminalId)}/relaunch`, {
        resume,
      }),
    /** Another tab running `profile` (the shell when absent); with `resume`, a relaunch. */
    openTerminal: (
      sessionId: string,
      size: TerminalSize | null,
      profile?: string,
      resume = false,
    ) =>
      call<CreatedTerminal>('POST', `/api/sessions/${id(sessionId)}/terminals`, {
        ...size,
        profile,
        resume,
      }),
  };
}

export type Api = ReturnType<typeof createApi>;
