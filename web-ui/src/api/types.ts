/** The api-service's JSON shapes, as docs/api.md describes them. Times are ISO-8601 strings. */

export type Role = 'admin' | 'user';

export interface User {
  id: string;
  username: string;
  displayName: string | null;
  role: Role;
  active: boolean;
  totpEnabled: boolean;
  createdAt: string;
}

/** The answer of login and refresh. Lifetimes are in seconds. */
export interface Tokens {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
  user: User;
}

export interface WsTicket {
  ticket: string;
  expiresInSeconds: number;
}

export interface TotpEnrolment {
  secret: string;
  otpauthUri: string;
}

/** One of the user's API keys, as listed: never its value. */
export interface Credential {
  name: string;
  lastFour: string;
  /** In every tab, not only in the agents that take it. */
  inShells: boolean;
  updatedAt: string;
}

/** What a terminal can run, as the pty-services announce it. */
export interface Profile {
  name: string;
  label: string;
  /** The API keys (variable names) it takes. */
  secrets: string[];
  /** Whether a relaunch can resume its last conversation. */
  resumable: boolean;
  /** What a user may add to its command. */
  options: ProfileOption[];
}

/** An option a user may add to a profile's command. */
export interface ProfileOption {
  name: string;
  /** A regular expression its value must match; absent when it takes no value. */
  values?: string;
}

/** The extra arguments the user adds to one profile's command. */
export interface ProfileArguments {
  profile: string;
  arguments: string[];
  updatedAt: string;
}

export interface PersonalAccessToken {
  id: string;
  name: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revoked: boolean;
  /** The clear-text token; only in the answer that created it. */
  token?: string | null;
}

export type WorkspaceState = 'ready' | 'cloning' | 'error';

export interface Workspace {
  id: string;
  ownerId: string;
  name: string;
  slug: string;
  description: string | null;
  gitUrl: string | null;
  branch: string | null;
  state: WorkspaceState;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewWorkspace {
  name: string;
  /** The folder's name; the server makes one from `name` when absent. */
  slug?: string;
  description?: string;
  gitUrl?: string;
  branch?: string;
}

export type SessionState = 'idle' | 'starting' | 'running' | 'stopping' | 'error';

export interface Session {
  id: string;
  ownerId: string;
  workspaceId: string;
  name: string;
  profile: string;
  state: SessionState;
  error: string | null;
  /** The ids of the terminals that run now, oldest first. */
  terminals: string[];
  /** Its tabs, running or not, oldest first; a session at rest may have cold ones. */
  tabs: Tab[];
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
}

/**
 * A tab of a session: `exited` when its process ended (`exitCode`), `cold` when it ended with a
 * restart of the pty-service; either keeps its output and can be relaunched in place.
 */
export interface Tab {
  id: string;
  /** Null until someone names it. */
  name: string | null;
  profile: string;
  state: 'running' | 'exited' | 'cold';
  exitCode: number | null;
}

export interface TerminalSize {
  cols: number;
  rows: number;
}

export interface CreatedTerminal {
  id: string;
  profile: string;
}

export interface NewUser {
  username: string;
  displayName?: string;
  password: string;
  role: Role;
}

export interface UserChanges {
  displayName?: string;
  role?: Role;
  active?: boolean;
}

/** What a terminal's program is doing (docs/api.md, "Activity"). */
export type Activity = 'working' | 'waiting' | 'idle' | 'exited';

/** One event of the caller's activity stream. */
export interface TerminalActivity {
  sessionId: string;
  terminalId: string;
  profile: string;
  activity: Activity;
  /** Set when, and only when, `activity` is `exited`. */
  exitCode: number | null;
  /** A change that just happened, not where the terminal stood when the stream opened. */
  change: boolean;
}

/** How the user wants to hear that an agent waits for them. */
export interface NotificationSettings {
  /** A notice inside the app. */
  inApp: boolean;
  /** The browser's notification, while the app's page is hidden. */
  desktop: boolean;
}
