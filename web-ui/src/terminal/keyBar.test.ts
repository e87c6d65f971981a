import { describe, expect, it } from 'vitest';
import { BAR_KEYS, modify, StickyModifiers } from './keyBar';

describe('the key bar', () => {
  it('makes the next key typed a control character after one tap on Ctrl, then lets go', () => {
    const modifiers = new StickyModifiers();
    modifiers.tap('ctrl');
    expect(modifiers.mode('ctrl')).toBe('once');
    expect(modifiers.apply('c')).toBe('\x03');
    expect(modifiers.mode('ctrl')).toBe('off');
    expect(modifiers.apply('c')).toBe('c');
  });

  it('keeps a modifier tapped twice until it is tapped again', () => {
    const modifiers = new StickyModifiers();
    modifiers.tap('ctrl');
    modifiers.tap('ctrl');
    expect(modifiers.mode('ctrl')).toBe('locked');
    expect(modifiers.apply('a')).toBe('\x01');
    expect(modifiers.apply('e')).toBe('\x05');
    modifiers.tap('ctrl');
    expect(modifiers.mode('ctrl')).toBe('off');
    expect(modifiers.apply('e')).toBe('e');
  });

  it('sends Alt as an Escape before the key, together with Ctrl too', () => {
    expect(modify('b', false, true)).toBe('\x1bb');
    expect(modify('x', true, true)).toBe('\x1b\x18');
  });

  it('encodes modified arrows and Home/End the way xterm.js does', () => {
    expect(modify('\x1b[D', true, false)).toBe('\x1b[1;5D');
    expect(modify('\x1b[A', false, true)).toBe('\x1b[1;3A');
    expect(modify('\x1b[H', true, true)).toBe('\x1b[1;7H');
  });

  it('maps the keys Ctrl turns into control characters, and leaves the others', () => {
    expect(modify('[', true, false)).toBe('\x1b');
    expect(modify(' ', true, false)).toBe('\x00');
    expect(modify('?', true, false)).toBe('\x7f');
    expect(modify('Z', true, false)).toBe('\x1a');
    expect(modify('é', true, false)).toBe('é');
    // Text pasted or composed (several characters) is never turned into control characters.
    expect(modify('ls', true, false)).toBe('ls');
  });

  it('tells listeners when a modifier changes, also when a key releases it', () => {
    const modifiers = new StickyModifiers();
    let changes = 0;
    const stop = modifiers.subscribe(() => {
      changes += 1;
    });
    modifiers.tap('alt');
    modifiers.apply('x');
    stop();
    modifiers.tap('alt');
    expect(changes).toBe(2);
  });

  it('offers the keys a phone lacks for an agent: Esc, Tab, Ctrl-C and the arrows', () => {
    const sent = BAR_KEYS.map((key) => key.sends);
    for (const needed of ['\x1b', '\t', '\x03', '\x1b[A', '\x1b[B', '\x1b[C', '\x1b[D']) {
      expect(sent).toContain(needed);
    }
  });
});
