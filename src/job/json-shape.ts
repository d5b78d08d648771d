import { showKey } from './show-value.js';

/** How deep arrays and objects may nest in a job file: a job needs four levels, a hostile file would take the stack. */
export const MAX_JSON_DEPTH = 64;

/** Repeated keys reported per file; a file made of repeats is told so once. */
const MAX_REPEATS_SHOWN = 20;

/** A place in JSON text: a dotted path of keys and indices, and its 1-based line and column. */
export interface JsonPlace {
  path: string;
  line: number;
  column: number;
}

/** What JSON.parse does not say about a text: where it nests too deep, and which keys repeat. */
export interface JsonShape {
  /** The first bracket past MAX_JSON_DEPTH; its path is the top-level field it is in. */
  tooDeep: JsonPlace | null;
  /** Keys given twice in one object (JSON.parse keeps the last), with the line of the first. */
  repeats: Array<JsonPlace & { firstLine: number }>;
  /** Repeats beyond those listed. */
  moreRepeats: number;
}

// On text JSON.parse accepted, every string is closed, so this finds each token in one linear pass.
const TOKEN = /"[^"\\]*(?:\\.[^"\\]*)*"|[[\]{}:,]/g;

interface Frame {
  object: boolean;
  /** Keys seen in this object, with the line each first appeared on. */
  keys: Map<string, number>;
  /** The key or index of the value being read, for paths. */
  at: string;
}

/**
 * Reads the structure of JSON text that JSON.parse already accepted, without
 * building values: nothing here recurses, so depth costs nothing but the check.
 */
export function jsonShape(text: string): JsonShape {
  const shape: JsonShape = { tooDeep: null, repeats: [], moreRepeats: 0 };
  const frames: Frame[] = [];
  const lines = lineCounter(text);
  let lastString = { token: '', index: 0 };
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(text); match !== null; match = TOKEN.exec(text)) {
    const token = match[0];
    const top = frames[frames.length - 1];
    if (token === '{' || token === '[') {
      if (frames.length >= MAX_JSON_DEPTH) {
        shape.tooDeep = { path: frames[0]?.object ? showKey(frames[0].at) : '', ...lines(match.index) };
        return shape;
      }
      frames.push({ object: token === '{', keys: new Map(), at: token === '{' ? '' : '0' });
    } else if (token === '}' || token === ']') frames.pop();
    else if (token === ',' && top && !top.object) top.at = String(Number(top.at) + 1);
    else if (token === ':' && top) noteKey({ shape, frames, top, key: keyOf(lastString.token), place: lines(lastString.index) });
    else lastString = { token, index: match.index };
  }
  return shape;
}

// Most keys hold no escape; the rest are decoded as JSON.parse decoded them.
function keyOf(token: string): string {
  return token.includes('\\') ? (JSON.parse(token) as string) : token.slice(1, -1);
}

function noteKey(input: { shape: JsonShape; frames: Frame[]; top: Frame; key: string; place: { line: number; column: number } }): void {
  const { shape, top, key, place } = input;
  top.at = key;
  const firstLine = top.keys.get(key);
  if (firstLine === undefined) {
    top.keys.set(key, place.line);
    return;
  }
  if (shape.repeats.length >= MAX_REPEATS_SHOWN) shape.moreRepeats += 1;
  else shape.repeats.push({ path: input.frames.map((frame) => showKey(frame.at)).join('.'), ...place, firstLine });
}

/** Line and column of increasing offsets, counted as the offsets grow: linear over the whole text. */
function lineCounter(text: string): (index: number) => { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  let nextBreak = text.indexOf('\n');
  return (index) => {
    while (nextBreak !== -1 && nextBreak < index) {
      line += 1;
      lineStart = nextBreak + 1;
      nextBreak = text.indexOf('\n', lineStart);
    }
    return { line, column: index - lineStart + 1 };
  };
}
