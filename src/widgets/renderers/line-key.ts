/**
 * A list that names lines: each item a short stroke in the line's colour and dash (so colour is
 * never the only cue), then its text.
 *
 * A widget that trains calls `update` every round, but from one round to the next only the texts
 * change. The items are therefore built only when the strokes change (another number of lines,
 * another colour or dash); otherwise `update` rewrites the texts that differ and nothing else,
 * which spares the browser restyling and laying out the whole list each round.
 */
import { SVG_NS } from './svg-file';

export interface LineKeyEntry {
  color: string;
  /** SVG dash pattern; none for a solid line. */
  dash?: string;
  text: string;
}

export interface LineKey {
  update(entries: readonly LineKeyEntry[]): void;
}

/** A short stroke in a line's colour and dash, to stand before the line's name. */
export function lineStroke(color: string, dash?: string): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', 'fw__line-key');
  svg.setAttribute('viewBox', '0 0 32 12');
  svg.setAttribute('aria-hidden', 'true');
  const line = document.createElementNS(SVG_NS, 'line');
  for (const [name, value] of Object.entries({ x1: '1', x2: '31', y1: '6', y2: '6', stroke: color, 'stroke-width': '2.5' })) line.setAttribute(name, value);
  if (dash) line.setAttribute('stroke-dasharray', dash);
  svg.append(line);
  return svg;
}

/** One item: the stroke, then a text node that `update` rewrites. */
function item(entry: LineKeyEntry, text: Text): HTMLLIElement {
  const li = document.createElement('li');
  li.append(lineStroke(entry.color, entry.dash), text);
  return li;
}

export function createLineKey(list: HTMLElement): LineKey {
  let strokes = '';
  let texts: Text[] = [];
  return {
    update(entries) {
      const next = entries.map((e) => `${e.color} ${e.dash ?? ''}`).join('|');
      if (next !== strokes || texts.length !== entries.length) {
        strokes = next;
        texts = entries.map(() => document.createTextNode(''));
        list.replaceChildren(...entries.map((e, i) => item(e, texts[i])));
      }
      entries.forEach((e, i) => {
        if (texts[i].data !== e.text) texts[i].data = e.text;
      });
    },
  };
}
