// Renders terminal output with xterm.js (@xterm/headless, the version the web-ui ships) and prints
// what each screen holds, for the pty-service's tests to compare with its own screen model.
//
//   node render.mjs cases.json > screens.json
//
// cases.json: [{ name, cols, rows, scrollback, steps: [{ w: base64 } | { r: [cols, rows] }],
//                snapshot?: { at, cols, rows, bytes: base64 } }]
// Each case renders its steps on a fresh terminal ("raw"); a case with a snapshot also renders, on
// another fresh terminal of the snapshot's size, its bytes followed by the steps from `at` on
// ("fromSnapshot"). Each rendering is described by describe() below.
import { readFileSync } from 'node:fs';
import xterm from '@xterm/headless';

const { Terminal } = xterm;

function write(term, bytes) {
  return new Promise((resolve) => term.write(bytes, resolve));
}

async function render(c, steps, prefix, size = [c.cols, c.rows]) {
  const term = new Terminal({
    cols: size[0],
    rows: size[1],
    scrollback: c.scrollback,
    allowProposedApi: true,
  });
  let title = '';
  term.onTitleChange((t) => {
    title = t;
  });
  if (prefix) await write(term, prefix);
  for (const step of steps) {
    if (step.w !== undefined) await write(term, Buffer.from(step.w, 'base64'));
    else term.resize(step.r[0], step.r[1]);
  }
  const described = describe(term, title);
  term.dispose();
  return described;
}

/** A cell as `chars|width|fgMode:fg|bgMode:bg|flags`, so that two screens compare as text. */
function cellText(cell) {
  const flags = [
    cell.isBold() && 'b',
    cell.isDim() && 'd',
    cell.isItalic() && 'i',
    cell.isUnderline() && 'u',
    cell.isBlink() && 'k',
    cell.isInverse() && 'r',
    cell.isInvisible() && 'h',
    cell.isStrikethrough() && 's',
    cell.isOverline() && 'o',
  ]
    .filter(Boolean)
    .join('');
  const fgMode = cell.getFgColorMode() >>> 24;
  const bgMode = cell.getBgColorMode() >>> 24;
  const chars = [...cell.getChars()].map((ch) => ch.codePointAt(0).toString(16)).join('+');
  return `${chars}|${cell.getWidth()}|${fgMode}:${fgMode ? cell.getFgColor() : ''}|${bgMode}:${
    bgMode ? cell.getBgColor() : ''
  }|${flags}`;
}

function lines(buffer, cols) {
  const out = [];
  const cell = buffer.getNullCell();
  for (let y = 0; y < buffer.length; y++) {
    const line = buffer.getLine(y);
    const cells = [];
    for (let x = 0; x < cols; x++) cells.push(cellText(line.getCell(x, cell)));
    out.push((line.isWrapped ? 'W ' : '  ') + cells.join(' '));
  }
  return out;
}

/** Colours and flags of attributes saved by DECSC, as the cells above show them. */
function savedAttributes(attr) {
  const fgMode = (attr.fg >>> 24) & 3;
  const bgMode = (attr.bg >>> 24) & 3;
  const color = (word, mode) => (mode === 3 ? word & 0xffffff : mode ? word & 0xff : '');
  return `${fgMode}:${color(attr.fg, fgMode)}|${bgMode}:${color(attr.bg, bgMode)}|${
    (attr.fg >>> 26) & 63
  }|${(attr.bg >>> 26) & 3}`;
}

function charsetName(charset) {
  if (charset === undefined) return 'B';
  if (charset['`'] !== undefined) return '0';
  if (charset['#'] === '£' && Object.keys(charset).length === 1) return 'A';
  return '?';
}

function bufferState(core, buffer, cols) {
  return {
    scrollTop: buffer.scrollTop,
    scrollBottom: buffer.scrollBottom,
    savedX: Math.min(buffer.savedX, cols - 1),
    savedRow: Math.max(buffer.savedY - buffer.ybase, 0),
    savedAttributes: savedAttributes(buffer.savedCurAttrData),
    savedCharset: charsetName(buffer.savedCharset),
    tabs: Object.keys(buffer.tabs)
      .map(Number)
      .filter((x) => buffer.tabs[x] && x < cols)
      .sort((a, b) => a - b),
  };
}

function describe(term, title) {
  const core = term._core;
  const active = term.buffer.active;
  const alt = active.type === 'alternate';
  const modes = term.modes;
  const charsets = core._charsetService;
  const decModes = core.coreService.decPrivateModes;
  return {
    cols: term.cols,
    rows: term.rows,
    active: active.type,
    cursor: [active.cursorX, active.cursorY],
    normal: lines(term.buffer.normal, term.cols),
    alternate: alt ? lines(term.buffer.alternate, term.cols) : [],
    normalState: bufferState(core, core.buffers.normal, term.cols),
    alternateState: alt ? bufferState(core, core.buffers.alt, term.cols) : null,
    modes: {
      applicationCursorKeys: modes.applicationCursorKeysMode,
      applicationKeypad: modes.applicationKeypadMode,
      bracketedPaste: modes.bracketedPasteMode,
      insert: modes.insertMode,
      mouseTracking: modes.mouseTrackingMode,
      mouseEncoding: core.coreMouseService.activeEncoding,
      origin: modes.originMode,
      reverseWraparound: modes.reverseWraparoundMode,
      sendFocus: modes.sendFocusMode,
      synchronizedOutput: decModes.synchronizedOutput,
      wraparound: modes.wraparoundMode,
      cursorHidden: core.coreService.isCursorHidden,
      cursorStyle: decModes.cursorStyle ?? null,
      cursorBlink: decModes.cursorBlink ?? null,
      cursorBlinkOption: term.options.cursorBlink,
      convertEol: term.options.convertEol,
    },
    title,
    charsets: {
      glevel: charsets.glevel,
      g: [0, 1, 2, 3].map((g) => charsetName(charsets._charsets[g])),
      active: charsetName(charsets.charset),
    },
  };
}

const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const results = [];
for (const c of cases) {
  const result = { name: c.name, raw: await render(c, c.steps) };
  if (c.snapshot) {
    result.fromSnapshot = await render(
      c,
      c.steps.slice(c.snapshot.at),
      Buffer.from(c.snapshot.bytes, 'base64'),
      [c.snapshot.cols, c.snapshot.rows],
    );
  }
  results.push(result);
}
process.stdout.write(JSON.stringify(results));
