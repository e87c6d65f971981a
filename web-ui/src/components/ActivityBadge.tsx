import type { TerminalActivity } from '../api/types';

/** What a terminal (or a session, by its busiest terminal) is doing; nothing when unknown. */
export function ActivityBadge({ event }: { event: TerminalActivity | null | undefined }) {
  if (event === null || event === undefined) return null;
  const text =
    event.activity === 'waiting'
      ? 'needs you'
      : event.activity === 'exited'
        ? `exited ${String(event.exitCode)}`
        : event.activity;
  return (
    <span
      className={`badge badge--activity badge--${event.activity}`}
      data-testid="activity"
      data-activity={event.activity}
    >
      {text}
    </span>
  );
}
