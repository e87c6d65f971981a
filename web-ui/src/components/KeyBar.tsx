import { useSyncExternalStore } from 'react';
import { BAR_KEYS, type Modifier, type StickyModifiers } from '../terminal/keyBar';

const MODIFIER_LABELS: Record<Modifier, string> = { ctrl: 'Ctrl', alt: 'Alt' };

/** Whether this device's main pointer is a finger: the key bar is for phones and tablets. */
export function isTouchDevice(): boolean {
  return window.matchMedia('(pointer: coarse), (hover: none)').matches;
}

/**
 * The keys a phone's keyboard lacks (Esc, Tab, Ctrl, Alt, arrows…), above it. Tapping keeps the
 * focus, and so the on-screen keyboard, in the terminal.
 */
export function KeyBar({
  modifiers,
  onKey,
}: {
  modifiers: StickyModifiers;
  onKey: (data: string) => void;
}) {
  return (
    <div className="key-bar" role="toolbar" aria-label="Extra keys" data-testid="key-bar">
      {(['ctrl', 'alt'] as const).map((modifier) => (
        <ModifierKey key={modifier} modifier={modifier} modifiers={modifiers} />
      ))}
      {BAR_KEYS.map((key) => (
        <button
          key={key.name}
          type="button"
          className="key-bar__key"
          aria-label={key.name}
          data-testid={`key-${key.name.toLowerCase().replace(/ /g, '-')}`}
          onPointerDown={(event) => {
            event.preventDefault();
          }}
          onClick={() => {
            onKey(key.sends);
          }}
        >
          {key.label}
        </button>
      ))}
    </div>
  );
}

function ModifierKey({ modifier, modifiers }: { modifier: Modifier; modifiers: StickyModifiers }) {
  const mode = useSyncExternalStore(
    (listener) => modifiers.subscribe(listener),
    () => modifiers.mode(modifier),
  );
  return (
    <button
      type="button"
      className={`key-bar__key key-bar__key--${mode}`}
      aria-label={`${MODIFIER_LABELS[modifier]}${mode === 'locked' ? ', locked' : ''}`}
      aria-pressed={mode !== 'off'}
      data-testid={`key-${modifier}`}
      data-mode={mode}
      onPointerDown={(event) => {
        event.preventDefault();
      }}
      onClick={() => {
        modifiers.tap(modifier);
      }}
    >
      {MODIFIER_LABELS[modifier]}
      {mode === 'locked' ? ' 🔒' : ''}
    </button>
  );
}
