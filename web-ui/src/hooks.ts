import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from './api/http';
import { api } from './backend';

/**
 * Loads data when `load` changes (keep it stable with useCallback) and on `reload()`; answers to
 * older loads that arrive late are dropped.
 */
export function useLoader<T>(load: () => Promise<T>) {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);

  const reload = useCallback(() => {
    const request = ++latest.current;
    return load().then(
      (loaded) => {
        if (request !== latest.current) return;
        setData(loaded);
        setError(null);
      },
      (failure: unknown) => {
        if (request === latest.current) setError(errorMessage(failure));
      },
    );
  }, [load]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { data, error, reload, setData };
}

/** Calls `reload` every `intervalMs` while `active`: for states that change on the server. */
export function usePolling(active: boolean, reload: () => Promise<void>, intervalMs: number) {
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => void reload(), intervalMs);
    return () => {
      clearInterval(timer);
    };
  }, [active, reload, intervalMs]);
}

/** Runs user actions one at a time, with a busy flag and the last failure's message. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = useCallback(async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }, []);

  return { busy, error, run };
}

const loadProfiles = () => api.profiles();

/** The profiles the pty-services run, as they announce them: what a session or tab may run. */
export function useProfiles() {
  return useLoader(loadProfiles);
}
